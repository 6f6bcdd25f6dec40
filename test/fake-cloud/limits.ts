/**
 * The cloud's two kinds of limit (tencent-api.md §6): a concurrency pool per model (running jobs
 * are counted; one more is refused with RequestLimitExceeded.JobNumExceed, never queued) and a
 * request rate per action over a sliding one-second window (RequestLimitExceeded).
 */

/** Pool ids are the catalog's model ids (src/core/providers/types.ts ModelId), sizes the documented defaults. */
export const DEFAULT_POOL_SIZES: Readonly<Record<string, number>> = {
  'hunyuan-image-job': 1,
  'hunyuan-text-to-image-lite': 3,
  'aiart-image-to-image': 3,
  'aiart-text-to-image-job': 1,
  'aiart-text-to-image-rapid': 1,
  'aiart-text-to-image-lite': 1,
  'aiart-text-to-image-pro-job': 1,
  'mps-aigc-image': 3,
};

export class Pools {
  private readonly sizes: Record<string, number>;
  private readonly running = new Map<string, number>();
  readonly maxRunning: Record<string, number> = {};

  constructor(overrides: Readonly<Record<string, number>> = {}) {
    for (const pool of Object.keys(overrides)) {
      if (!(pool in DEFAULT_POOL_SIZES)) throw new Error(`unknown concurrency pool "${pool}"; known: ${Object.keys(DEFAULT_POOL_SIZES).join(', ')}`);
    }
    this.sizes = { ...DEFAULT_POOL_SIZES, ...overrides };
  }

  /** Takes a slot, or answers false when the pool is full. */
  tryAcquire(pool: string): boolean {
    const now = this.running.get(pool) ?? 0;
    if (now >= (this.sizes[pool] ?? 1)) return false;
    this.running.set(pool, now + 1);
    this.maxRunning[pool] = Math.max(this.maxRunning[pool] ?? 0, now + 1);
    return true;
  }

  release(pool: string): void {
    this.running.set(pool, Math.max(0, (this.running.get(pool) ?? 0) - 1));
  }

  size(pool: string): number {
    return this.sizes[pool] ?? 1;
  }
}

const WINDOW_MS = 1000;

/** Counts accepted requests per key in the last second; refused ones do not fill the window. */
export class RateLimiter {
  private readonly accepted = new Map<string, number[]>();

  allow(key: string, perSecond: number, nowMs: number): boolean {
    const times = (this.accepted.get(key) ?? []).filter((t) => nowMs - t < WINDOW_MS);
    const ok = times.length < perSecond;
    if (ok) times.push(nowMs);
    this.accepted.set(key, times);
    return ok;
  }
}
