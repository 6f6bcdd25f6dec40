/**
 * Request-rate limits per action (ModelSpec.rateLimits, e.g. QueryHunyuanImageJob 20/s). Tencent
 * counts requests per API, region and sub-account and answers `RequestLimitExceeded` above the
 * limit, so we hold requests back rather than earn those errors.
 *
 * Sliding-window log: a request is granted only if fewer than N were granted in the last window;
 * otherwise it waits (FIFO) until the oldest grant leaves the window. Unlike a token bucket this
 * never allows a burst above N in ANY window of that length, which is what the cloud checks.
 */
import { cancelledError } from '../tencent/error-catalog';
import { type Clock, realClock } from './clock';

/**
 * The cloud sees our requests a little after we send them, with network jitter between them;
 * a window slightly longer than a second keeps two of our windows from landing in one of theirs.
 */
export const DEFAULT_RATE_WINDOW_MS = 1050;

interface Waiter {
  readonly grant: () => void;
}

interface Bucket {
  limit: number;
  /** Grant times inside the current window, oldest first. */
  readonly grants: number[];
  readonly waiters: Waiter[];
  /** Whether a timer is already set to serve the waiters. */
  sleeping: boolean;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock = realClock,
    private readonly windowMs: number = DEFAULT_RATE_WINDOW_MS,
  ) {}

  /**
   * Resolves when one more request under `key` keeps it within `perSecond` per window.
   * A missing or non-positive limit means the action has no documented limit: granted at once.
   */
  acquire(key: string, perSecond: number | undefined, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    if (perSecond === undefined || !(perSecond > 0) || !Number.isFinite(perSecond)) return Promise.resolve();
    const bucket = this.bucket(key);
    bucket.limit = Math.max(1, Math.floor(perSecond));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = bucket.waiters.indexOf(waiter);
        if (index >= 0) bucket.waiters.splice(index, 1);
        reject(cancelledError());
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      bucket.waiters.push(waiter);
      this.serve(bucket);
    });
  }

  private bucket(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { limit: 1, grants: [], waiters: [], sleeping: false };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private serve(bucket: Bucket): void {
    if (bucket.sleeping) return;
    const now = this.clock.now();
    while (bucket.grants.length > 0 && bucket.grants[0]! <= now - this.windowMs) bucket.grants.shift();
    while (bucket.waiters.length > 0 && bucket.grants.length < bucket.limit) {
      bucket.grants.push(now);
      bucket.waiters.shift()!.grant();
    }
    if (bucket.waiters.length === 0) return;
    bucket.sleeping = true;
    const wait = bucket.grants[0]! + this.windowMs - now;
    void this.clock.sleep(wait).then(() => {
      bucket.sleeping = false;
      this.serve(bucket);
    });
  }
}

/** The limiter key: limits are per action, and two services share action names (TextToImageLite). */
export function rateKey(service: string, action: string): string {
  return `${service}:${action}`;
}
