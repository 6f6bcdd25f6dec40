/**
 * What an action handler sees of the simulated cloud, and the shape of one action definition.
 * Handlers validate their params, then submit a job, run a sync call, or read a job.
 */
import type { UrlFetcher } from '../image-input';
import type { FaultState } from '../faults';
import type { JobRunner } from '../jobs';
import type { Pools } from '../limits';
import type { Params, Schema } from '../validate';

export type ServiceName = 'hunyuan' | 'aiart' | 'mps';

export interface CloudContext {
  readonly pools: Pools;
  readonly jobs: JobRunner;
  readonly fetchUrl: UrlFetcher;
  faults(): FaultState;
  now(): number;
  /** Result-URL lifetime for a service, seconds (options override the documented one). */
  resultTtlSeconds(service: ServiceName): number;
  /** One accepted billable call (a job submitted or a sync call started). */
  countSubmit(action: string): void;
  /** One RequestLimitExceeded* answered. */
  countLimitError(): void;
}

export interface ActionDef {
  readonly service: ServiceName;
  readonly name: string;
  /** `submit` = creates billable work (async submit or sync call); `query` = reads a job. */
  readonly kind: 'submit' | 'query';
  readonly schema: Schema;
  /** Documented request-rate limit, requests per second (none when the docs show none). */
  readonly ratePerSecond?: number;
  handle(params: Params, ctx: CloudContext): Promise<Record<string, unknown>>;
}
