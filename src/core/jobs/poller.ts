/**
 * Polls an async job until the cloud says it is done or failed.
 *
 * Schedule (t = time since the job was submitted):
 *
 *     next query after  delay(t) = min(POLL_MAX_DELAY_MS, max(POLL_MIN_DELAY_MS, POLL_GROWTH · t))
 *                                = min(15 s, max(0.5 s, 10 % of t))
 *
 * - First query 0.5 s after submit; every 0.5 s while t < 5 s (short jobs are noticed quickly).
 * - After that each interval is 10 % of the time elapsed, so query times grow geometrically
 *   (×1.1): a job of length L costs about 10 + ln(L / 5 s) / ln 1.1 queries — logarithmic in L
 *   (10 for 5 s, 29 for 30 s, 37 for 60 s, 44 for 2 min; each doubling adds about 7).
 * - A job that finishes at T is noticed by the next query, at most delay(t) ≤ max(0.5 s, 10 % of T)
 *   later: the design.md budget.
 * - The 15 s cap only shortens waits for very long jobs (beyond 150 s), so the user is never left
 *   more than 15 s behind the cloud; it makes counts linear (one per 15 s) only past that point
 *   (56 queries for 5 min, 76 for 10 min).
 * - At most 2 queries per second per job; every query also goes through the action's rate limiter,
 *   so many jobs together never exceed the documented limit.
 */
import type { CloudCaller } from '../tencent/caller';
import type { JobStatus, Provider } from '../providers/types';
import type { Clock } from './clock';
import { rateKey, type RateLimiter } from './rate-limiter';
import { type RetryPolicy, withRetry } from './retry';

export const POLL_MIN_DELAY_MS = 500;
export const POLL_GROWTH = 0.1;
export const POLL_MAX_DELAY_MS = 15_000;

/** Wait before the next query, for a job submitted `elapsedMs` ago. */
export function pollDelay(elapsedMs: number): number {
  return Math.min(POLL_MAX_DELAY_MS, Math.max(POLL_MIN_DELAY_MS, POLL_GROWTH * elapsedMs));
}

/** Query times (ms after submit) up to and including the first one at or after `jobLengthMs`. */
export function pollTimes(jobLengthMs: number): number[] {
  const times: number[] = [];
  let t = 0;
  do {
    t += pollDelay(t);
    times.push(t);
  } while (t < jobLengthMs);
  return times;
}

export interface PollOptions {
  readonly provider: Provider;
  readonly jobId: string;
  readonly caller: CloudCaller;
  readonly limiter: RateLimiter;
  readonly clock: Clock;
  /** When the job was submitted (epoch ms); the schedule counts from here. */
  readonly submittedAt: number;
  /** Query at once instead of waiting for the first interval (a job resumed after a reload). */
  readonly immediate?: boolean;
  readonly signal?: AbortSignal;
  readonly retryPolicy?: RetryPolicy;
  /** Told after each query that found the job still waiting or running. */
  readonly onProgress?: (status: Extract<JobStatus, { state: 'queued' | 'running' }>, polls: number) => void;
  readonly onRetry?: (error: Error, attempt: number, delayMs: number) => void;
}

/** The terminal status (done or failed) and how many queries it took. Throws when a query fails for good. */
export async function pollUntilDone(options: PollOptions): Promise<{ status: Extract<JobStatus, { state: 'done' | 'failed' }>; polls: number }> {
  const { provider, jobId, caller, limiter, clock, signal } = options;
  const query = provider.buildQuery(jobId);
  const key = rateKey(query.service, query.action);
  const limit = provider.spec.rateLimits[query.action];
  let polls = 0;
  if (!options.immediate) await clock.sleep(pollDelay(0), signal);
  for (;;) {
    const status = await withRetry(
      async () => {
        await limiter.acquire(key, limit, signal);
        const reply = await caller.call(query, { signal });
        return provider.parseQuery(reply.response, reply.requestId, jobId, clock.now());
      },
      { kind: 'query', clock, signal, policy: options.retryPolicy, onRetry: options.onRetry },
    );
    polls += 1;
    if (status.state === 'done' || status.state === 'failed') return { status, polls };
    options.onProgress?.(status, polls);
    await clock.sleep(pollDelay(clock.now() - options.submittedAt), signal);
  }
}
