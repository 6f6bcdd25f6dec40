import * as assert from 'node:assert/strict';
import { RateLimiter, rateKey } from '../../src/core/jobs/rate-limiter';
import { StudioError } from '../../src/core/tencent/errors';
import { VirtualClock } from './support/virtual-clock';

/** The most grants found in any window [t, t + windowMs) starting at a grant. */
function maxInWindow(times: readonly number[], windowMs: number): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
}

describe('rate limiter', () => {
  it('keeps every one-second window at or under N requests', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock);
    const start = clock.now();
    const grants: number[] = [];
    const all = Array.from({ length: 70 }, () => limiter.acquire('hunyuan:QueryHunyuanImageJob', 20).then(() => grants.push(clock.now() - start)));
    await clock.runUntil(Promise.all(all));
    assert.equal(grants.length, 70);
    assert.ok(maxInWindow(grants, 1000) <= 20, `max ${maxInWindow(grants, 1000)} per second`);
    // ... and does not hold requests back more than it must: the first 20 go at once.
    assert.equal(grants.filter((t) => t === 0).length, 20);
    assert.ok(grants[69]! < 4 * 1100, `70 requests at 20/s took ${grants[69]} ms`);
  });

  it('spaces requests that arrive over time, not only bursts', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock);
    const start = clock.now();
    const grants: number[] = [];
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      all.push(limiter.acquire('k', 5).then(() => grants.push(clock.now() - start)));
      await clock.run(clock.now() + 90);
    }
    await clock.runUntil(Promise.all(all));
    assert.ok(maxInWindow(grants, 1000) <= 5, `max ${maxInWindow(grants, 1000)} per second`);
  });

  it('keeps actions apart and grants actions without a documented limit at once', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock);
    const times: Record<string, number[]> = { a: [], b: [] };
    const all = ['a', 'b'].flatMap((key) => Array.from({ length: 4 }, () => limiter.acquire(key, 2).then(() => times[key]!.push(clock.now()))));
    await clock.runUntil(Promise.all(all));
    assert.deepEqual(times.a, times.b, 'the same schedule for each action, independent of the other');
    let free = 0;
    await Promise.all(Array.from({ length: 100 }, () => limiter.acquire('none', undefined).then(() => free++)));
    assert.equal(free, 100);
  });

  it('rejects a waiter whose signal aborts, and gives its turn to the next', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock);
    await limiter.acquire('k', 1);
    const controller = new AbortController();
    const aborted = limiter.acquire('k', 1, controller.signal);
    const next = limiter.acquire('k', 1);
    controller.abort();
    await assert.rejects(aborted, (e: unknown) => e instanceof StudioError && e.kind === 'cancelled');
    const before = clock.now();
    await clock.runUntil(next);
    assert.ok(clock.now() - before <= 1100, 'the next waiter took the freed turn');
  });

  it('keys limits by service and action, since services share action names', () => {
    assert.notEqual(rateKey('hunyuan', 'TextToImageLite'), rateKey('aiart', 'TextToImageLite'));
  });
});
