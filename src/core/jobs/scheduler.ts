/**
 * Concurrency pools. Tencent runs at most N jobs at once per service pool and per account (the
 * documented default, raised by purchased add-on packs); a job beyond that is refused with
 * `RequestLimitExceeded.JobNumExceed`. So we never put more tasks in flight in a pool than its
 * size, and the rest wait in a FIFO queue: first started, first submitted.
 *
 * A slot is held from submit until the cloud says the job is done or failed (the caller releases
 * it before downloading: downloading does not occupy the cloud's pool).
 */
import { cancelledError } from '../tencent/error-catalog';

/** A pool as the catalog describes it (ModelSpec.pool). */
export interface PoolRef {
  readonly id: string;
  readonly defaultSize: number;
}

export interface Slot {
  readonly poolId: string;
  /** Gives the slot back. Safe to call more than once. */
  release(): void;
}

export interface AcquireOptions {
  /** Aborting while queued removes the waiter and rejects with a `cancelled` StudioError. */
  readonly signal?: AbortSignal;
  /**
   * Queue ahead of everyone else. For jobs resumed after a reload: they already occupy a place on
   * the cloud, so new submits must not overtake them.
   */
  readonly front?: boolean;
}

interface Waiter {
  readonly grant: () => void;
}

interface Pool {
  defaultSize: number;
  inFlight: number;
  readonly queue: Waiter[];
}

export class Scheduler {
  private readonly pools = new Map<string, Pool>();
  private overrides: Readonly<Record<string, number>>;

  /**
   * @param overrides pool id -> total pool size (documented default plus purchased add-on packs),
   *   from configuration. Values that are not positive integers are ignored.
   */
  constructor(overrides: Readonly<Record<string, number>> = {}) {
    this.overrides = { ...overrides };
  }

  /** Applies new configuration; a raised limit lets queued tasks start at once. */
  setOverrides(overrides: Readonly<Record<string, number>>): void {
    this.overrides = { ...overrides };
    for (const id of this.pools.keys()) this.pump(id);
  }

  /** The effective size of a pool: the configured override when valid, else the documented default. */
  sizeOf(pool: PoolRef): number {
    const override = this.overrides[pool.id];
    return Number.isInteger(override) && override > 0 ? override : pool.defaultSize;
  }

  inFlight(poolId: string): number {
    return this.pools.get(poolId)?.inFlight ?? 0;
  }

  queued(poolId: string): number {
    return this.pools.get(poolId)?.queue.length ?? 0;
  }

  /** Resolves with a slot once the pool has room for this caller (FIFO). */
  acquire(pool: PoolRef, options: AcquireOptions = {}): Promise<Slot> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancelledError());
    const state = this.poolState(pool);
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = (): void => {
        const index = state.queue.indexOf(waiter);
        if (index >= 0) state.queue.splice(index, 1);
        reject(cancelledError());
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          state.inFlight += 1;
          resolve(this.slot(pool.id, state));
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (options.front) state.queue.unshift(waiter);
      else state.queue.push(waiter);
      this.pump(pool.id);
    });
  }

  private poolState(pool: PoolRef): Pool {
    let state = this.pools.get(pool.id);
    if (!state) {
      state = { defaultSize: pool.defaultSize, inFlight: 0, queue: [] };
      this.pools.set(pool.id, state);
    }
    // Several models may share a pool; the largest documented default is the pool's.
    state.defaultSize = Math.max(state.defaultSize, pool.defaultSize);
    return state;
  }

  private slot(poolId: string, state: Pool): Slot {
    let released = false;
    return {
      poolId,
      release: () => {
        if (released) return;
        released = true;
        state.inFlight -= 1;
        this.pump(poolId);
      },
    };
  }

  private pump(poolId: string): void {
    const state = this.pools.get(poolId);
    if (!state) return;
    const size = this.sizeOf({ id: poolId, defaultSize: state.defaultSize });
    while (state.inFlight < size && state.queue.length > 0) state.queue.shift()!.grant();
  }
}
