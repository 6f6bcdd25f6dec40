/**
 * When a failed call may be repeated, and how long to wait first.
 *
 * - A submit creates a billed job and carries no idempotency token: once it may have reached the
 *   server (`mayHaveReachedServer`), it is NEVER repeated, whatever the error says.
 * - `rateLimit` (RequestLimitExceeded) and `concurrency` (JobNumExceed: the account's pool is full,
 *   e.g. another machine is using it) are answers from the cloud that nothing was done: retried
 *   with exponential backoff and jitter, up to a bound.
 * - Other errors are retried only when marked `retryable` (a transient server error, a network
 *   failure before the request left), a few times.
 * - Queries and downloads change nothing on the cloud, so they are also retried on network errors
 *   and timeouts even when the request may have arrived. A status query gets the most patience
 *   (`queryAttempts`, about half a minute of backoff): its job exists and is billed, and a short
 *   network gap — or a window that has just reloaded and does not have its settings yet — must not
 *   throw the result away.
 */
import { StudioError } from '../tencent/errors';
import type { Clock } from './clock';

/** What the call does; decides whether repeating it is safe. */
export type CallKind = 'submit' | 'query' | 'download';

export interface RetryPolicy {
  /** First backoff, ms; doubles each attempt up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Total attempts (first try included) for rateLimit/concurrency errors. */
  readonly limitAttempts: number;
  /** Total attempts for other retryable errors. */
  readonly transientAttempts: number;
  /** Total attempts for a status query that failed on the network, timed out, or met a transient server error. */
  readonly queryAttempts: number;
  /** [0, 1) source for jitter; injectable for deterministic tests. */
  readonly random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  // JobNumExceed clears when someone else's job finishes (tens of seconds): about a minute of patience.
  limitAttempts: 10,
  transientAttempts: 3,
  queryAttempts: 10,
  random: Math.random,
};

/** The delay before retry number `retry` (1 = first retry): half fixed, half random ("equal jitter"). */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return ceiling / 2 + policy.random() * (ceiling / 2);
}

/** How many attempts in total this error allows for this kind of call (1 = do not retry). */
export function attemptsAllowed(error: unknown, kind: CallKind, policy: RetryPolicy): number {
  if (!(error instanceof StudioError) || error.kind === 'cancelled') return 1;
  if (kind === 'submit' && error.mayHaveReachedServer) return 1;
  if (error.kind === 'rateLimit' || error.kind === 'concurrency') return policy.limitAttempts;
  if (kind === 'query' && (error.retryable || error.kind === 'network' || error.kind === 'timeout')) return policy.queryAttempts;
  if (error.retryable) return policy.transientAttempts;
  if (kind !== 'submit' && (error.kind === 'network' || error.kind === 'timeout')) return policy.transientAttempts;
  return 1;
}

export interface RetryOptions {
  readonly kind: CallKind;
  readonly clock: Clock;
  readonly policy?: RetryPolicy;
  /** Aborting stops waiting between attempts (the sleep rejects with a `cancelled` StudioError). */
  readonly signal?: AbortSignal;
  /** Told before each wait, e.g. to log the retry. */
  readonly onRetry?: (error: StudioError, attempt: number, delayMs: number) => void;
}

/** Runs `fn` and repeats it as the rules above allow; the last error is thrown unchanged. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attemptsAllowed(error, options.kind, policy) || options.signal?.aborted) throw error;
      const delay = backoffDelay(attempt, policy);
      options.onRetry?.(error as StudioError, attempt, delay);
      await options.clock.sleep(delay, options.signal);
    }
  }
}
