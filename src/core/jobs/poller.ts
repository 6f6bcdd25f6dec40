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
 * - At most 2 queries per second per job from this schedule; every query also goes through the
 *   action's rate limiter, so many jobs together never exceed the documented limit.
 * - When the engine knows how long this model's jobs usually take (duration-estimator.ts), four
 *   extra probes are spread across that window, so once it has narrowed a job is noticed within a
 *   probe step (2 %, at least 40 ms) of finishing instead of within 10 %.
 */
import type { CallTarget, CloudCaller } from '../tencent/caller';
import type { JobStatus, Provider } from '../providers/types';
import type { Clock } from './clock';
import { type DurationWindow, type PollBracket, probeTimes } from './duration-estimator';
import { rateKey, type RateLimiter } from './rate-limiter';
import { type RetryPolicy, withRetry } from './retry';

export const POLL_MIN_DELAY_MS = 500;
export const POLL_GROWTH = 0.1;
export const POLL_MAX_DELAY_MS = 15_000;

/** Wait before the next query, for a job submitted `elapsedMs` ago. */
export function pollDelay(elapsedMs: number): number {
  return Math.min(POLL_MAX_DELAY_MS, Math.max(POLL_MIN_DELAY_MS, POLL_GROWTH * elapsedMs));
}

/**
 * When to query next, ms after submit, for a job submitted `elapsedMs` ago: the base schedule, or an
 * earlier probe around the expected finish time when one is known.
 */
export function nextPollAt(elapsedMs: number, expected?: DurationWindow): number {
  const scheduled = elapsedMs + pollDelay(elapsedMs);
  const probe = expected === undefined ? undefined : probeTimes(expected).find((t) => t > elapsedMs);
  return probe === undefined ? scheduled : Math.min(scheduled, probe);
}

/** Query times (ms after submit) up to and including the first one at or after `jobLengthMs`. */
export function pollTimes(jobLengthMs: number, expected?: DurationWindow): number[] {
  const times: number[] = [];
  let t = 0;
  do {
    t = nextPollAt(t, expected);
    times.push(t);
  } while (t < jobLengthMs);
  return times;
}

export interface PollOptions {
  readonly provider: Provider;
  readonly jobId: string;
  /** Where the job was submitted: every query goes there. */
  readonly target?: CallTarget;
  readonly caller: CloudCaller;
  readonly limiter: RateLimiter;
  readonly clock: Clock;
  /** When the job was submitted (epoch ms); the schedule counts from here. */
  readonly submittedAt: number;
  /** Query at once instead of waiting for the first interval (a job resumed after a reload). */
  readonly immediate?: boolean;
  /** When jobs like this one usually finish (JobDurationEstimator); adds probes across that window. */
  readonly expected?: DurationWindow;
  readonly signal?: AbortSignal;
  readonly retryPolicy?: RetryPolicy;
  /** Told after each query that found the job still waiting or running. */
  readonly onProgress?: (status: Extract<JobStatus, { state: 'queued' | 'running' }>, polls: number) => void;
  readonly onRetry?: (error: Error, attempt: number, delayMs: number) => void;
}

export interface PollOutcome {
  readonly status: Extract<JobStatus, { state: 'done' | 'failed' }>;
  readonly polls: number;
  /** When the job was last seen pending and first seen finished, for the duration estimate. */
  readonly bracket: PollBracket;
}

/** The terminal status (done or failed) and how many queries it took. Throws when a query fails for good. */
export async function pollUntilDone(options: PollOptions): Promise<PollOutcome> {
  const { provider, jobId, caller, limiter, clock, signal, submittedAt, expected } = options;
  const query = provider.buildQuery(jobId);
  const key = rateKey(query.service, query.action);
  const limit = provider.spec.rateLimits[query.action];
  const elapsed = (): number => clock.now() - submittedAt;
  const sleepUntilNextPoll = (): Promise<void> => clock.sleep(Math.max(0, nextPollAt(elapsed(), expected) - elapsed()), signal);
  let polls = 0;
  let lastPendingAt: number | undefined;
  if (!options.immediate) await sleepUntilNextPoll();
  for (;;) {
    const askedAt = elapsed();
    const status = await withRetry(
      async () => {
        await limiter.acquire(key, limit, signal);
        const reply = await caller.call(query, { signal, target: options.target });
        return provider.parseQuery(reply.response, reply.requestId, jobId, clock.now());
      },
      { kind: 'query', clock, signal, policy: options.retryPolicy, onRetry: options.onRetry },
    );
    polls += 1;
    if (status.state === 'done' || status.state === 'failed') return { status, polls, bracket: { lastPendingAt, finishedAt: askedAt } };
    lastPendingAt = askedAt;
    options.onProgress?.(status, polls);
    await sleepUntilNextPoll();
  }
}
