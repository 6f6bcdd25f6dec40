/**
 * A deterministic Clock for tests: time only moves when the test runs the timers, so schedules of
 * minutes run in milliseconds and every assertion about time is exact. Between timers it lets
 * pending promise chains run (one macrotask turn), so async code can register its next sleep.
 * Real I/O in between is allowed: `runUntil` waits for it when no timer is due.
 */
import type { Clock } from '../../../src/core/jobs/clock';
import { cancelledError } from '../../../src/core/tencent/error-catalog';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelledError());
        return;
      }
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(cancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Lets every pending promise continuation run. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Fires timers in time order until none is left or the next is later than `until`. */
  async run(until = Number.POSITIVE_INFINITY): Promise<void> {
    await this.settle();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fire();
      await this.settle();
    }
    if (until !== Number.POSITIVE_INFINITY) this.time = Math.max(this.time, until);
  }

  /** Runs timers until `promise` settles; returns its outcome. */
  async runUntil<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    const tracked = promise.finally(() => {
      done = true;
    });
    tracked.catch(() => undefined);
    await this.settle();
    while (!done) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) {
        // Nothing scheduled on this clock: the code is waiting on real I/O (a file write); let it finish.
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      this.time = Math.max(this.time, next.at);
      next.fire();
      await this.settle();
    }
    return tracked;
  }
}
