/**
 * Simulated generation work. An async job holds its pool slot from submit until it ends and goes
 * queued -> running -> done/failed on timers (so a job's state and its pool slot always agree);
 * a sync call holds its slot while it waits the same time. The outcome (success, moderation
 * refusal, engine failure) is fixed at submit from the fault switches of that moment.
 *
 * Pictures are drawn right after the reply to the submit, inside the simulated work time, not
 * when the work ends: drawing (notably JPEG) takes real milliseconds, and doing it at the end
 * would make every job finish late and skew the throughput benchmarks.
 */
import { drawImage } from './draw';
import type { Pools } from './limits';
import type { ResultFormat, ResultStore } from './results';

export interface ImageOrder {
  readonly prompt: string;
  readonly width: number;
  readonly height: number;
  readonly format: ResultFormat;
  readonly seed: number;
  /** A PNG without compression (the `stored-png` switch, fixed at submit). */
  readonly stored?: boolean;
}

export interface JobFailure {
  readonly code: string;
  readonly message: string;
}

export interface JobSpec {
  /** The submit action; only its own query action can read the job. */
  readonly family: string;
  readonly pool: string;
  readonly images: readonly ImageOrder[];
  /** Undefined = success. */
  readonly failure?: JobFailure;
  readonly resultTtlSeconds: number;
  /** Service-specific data the query handler echoes (e.g. RevisedPrompt). */
  readonly revisedPrompts: readonly string[];
}

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface Job {
  readonly id: string;
  readonly spec: JobSpec;
  state: JobState;
  urls: string[];
  failure?: JobFailure;
}

/** Drawn pictures, or why they could not be drawn. */
type Drawing = { readonly images: Buffer[] } | { readonly error: unknown };

/** Share of the run time a job spends queued ("1") before it runs ("2"). */
const QUEUED_SHARE = 0.25;
const MAX_JOBS = 5000;

export class JobRunner {
  private readonly jobs = new Map<string, Job>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly pools: Pools,
    private readonly results: ResultStore,
    private readonly jobMs: number,
    private readonly now: () => number,
  ) {}

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, resolve));
  }

  /** Draws on the next turn of the event loop (after the current reply is written). */
  private drawSoon(images: readonly ImageOrder[]): Promise<Drawing> {
    return new Promise((resolve) =>
      this.later(0, () => {
        try {
          resolve({ images: images.map((order) => drawImage(order)) });
        } catch (error) {
          resolve({ error });
        }
      }),
    );
  }

  /** A sync call's work: the pictures, after the simulated work time. Throws if drawing failed. */
  async work(images: readonly ImageOrder[]): Promise<Buffer[]> {
    const drawing = this.drawSoon(images);
    await this.sleep(this.jobMs);
    const drawn = await drawing;
    if ('error' in drawn) throw drawn.error;
    return drawn.images;
  }

  /** Stores pictures as results; returns their URLs, valid for `ttlSeconds` from now. */
  publish(images: readonly Buffer[], orders: readonly ImageOrder[], ttlSeconds: number): string[] {
    return images.map((bytes, i) => this.results.put(bytes, orders[i]!.format, ttlSeconds, this.now()));
  }

  /** Starts a job whose pool slot the caller has already acquired. */
  start(id: string, spec: JobSpec): Job {
    const job: Job = { id, spec, state: 'queued', urls: [] };
    this.jobs.set(id, job);
    this.forgetOldJobs();
    const drawing = spec.failure ? undefined : this.drawSoon(spec.images);
    this.later(this.jobMs * QUEUED_SHARE, () => {
      job.state = 'running';
    });
    this.later(this.jobMs, () => {
      // The drawing timer (0 ms, set first) has always fired by now, so this resolves at once.
      void (drawing ?? Promise.resolve(undefined)).then((drawn) => this.finish(job, drawn));
    });
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  private finish(job: Job, drawn: Drawing | undefined): void {
    if (job.spec.failure || !drawn) {
      job.failure = job.spec.failure;
      job.state = 'failed';
    } else if ('error' in drawn) {
      job.failure = { code: 'FailedOperation.InnerError', message: `The image could not be generated: ${String(drawn.error)}` };
      job.state = 'failed';
    } else {
      job.urls = this.publish(drawn.images, job.spec.images, job.spec.resultTtlSeconds);
      job.state = 'done';
    }
    this.pools.release(job.spec.pool);
  }

  private forgetOldJobs(): void {
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= MAX_JOBS) break;
      if (job.state === 'done' || job.state === 'failed') this.jobs.delete(id);
    }
  }

  /** Stops every pending timer (server shutdown). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
