import * as assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { Scheduler, type PoolRef } from '../../src/core/jobs/scheduler';
import { StudioError } from '../../src/core/tencent/errors';

/** Runs `count` jobs of real async work through the scheduler; returns the most ever in flight at once. */
async function measure(scheduler: Scheduler, pool: PoolRef, count: number): Promise<number> {
  let inFlight = 0;
  let max = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const slot = await scheduler.acquire(pool);
      inFlight += 1;
      max = Math.max(max, inFlight);
      await delay(1 + ((i * 7) % 5)); // uneven real work, so slots free up in a shuffled order
      inFlight -= 1;
      slot.release();
    }),
  );
  return max;
}

describe('scheduler', () => {
  it('never has more in flight than the pool size, and uses all of it', async () => {
    const scheduler = new Scheduler();
    assert.equal(await measure(scheduler, { id: 'aiart', defaultSize: 3 }, 24), 3);
    assert.equal(await measure(scheduler, { id: 'hunyuan', defaultSize: 1 }, 8), 1);
    assert.equal(scheduler.inFlight('aiart'), 0);
  });

  it('grants slots in FIFO order', async () => {
    const scheduler = new Scheduler();
    const pool = { id: 'p', defaultSize: 2 };
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const slot = await scheduler.acquire(pool);
        order.push(i);
        await delay(i % 3);
        slot.release();
      }),
    );
    assert.deepEqual(order, [...Array(12).keys()]);
  });

  it('lets configuration overrides raise the pool size, also for tasks already queued', async () => {
    const pool = { id: 'hunyuan', defaultSize: 1 };
    assert.equal(await measure(new Scheduler({ hunyuan: 4 }), pool, 16), 4);

    const scheduler = new Scheduler();
    const first = await scheduler.acquire(pool);
    const waiting = [scheduler.acquire(pool), scheduler.acquire(pool)];
    assert.equal(scheduler.queued('hunyuan'), 2);
    scheduler.setOverrides({ hunyuan: 3 });
    const granted = await Promise.all(waiting);
    assert.equal(scheduler.inFlight('hunyuan'), 3);
    [first, ...granted].forEach((slot) => slot.release());
  });

  it('ignores overrides that are not positive integers', () => {
    const scheduler = new Scheduler({ a: 0, b: -2, c: 1.5, d: Number.NaN });
    for (const id of ['a', 'b', 'c', 'd']) assert.equal(scheduler.sizeOf({ id, defaultSize: 3 }), 3);
  });

  it('removes an aborted waiter from the queue without giving it a slot', async () => {
    const scheduler = new Scheduler();
    const pool = { id: 'p', defaultSize: 1 };
    const holder = await scheduler.acquire(pool);
    const controller = new AbortController();
    const cancelled = scheduler.acquire(pool, { signal: controller.signal });
    const next = scheduler.acquire(pool);
    controller.abort();
    await assert.rejects(cancelled, (e: unknown) => e instanceof StudioError && e.kind === 'cancelled');
    assert.equal(scheduler.queued('p'), 1);
    holder.release();
    const slot = await next;
    assert.equal(scheduler.inFlight('p'), 1);
    slot.release();
  });

  it('puts `front` requests (resumed jobs) ahead of the queue', async () => {
    const scheduler = new Scheduler();
    const pool = { id: 'p', defaultSize: 1 };
    const holder = await scheduler.acquire(pool);
    const order: string[] = [];
    const a = scheduler.acquire(pool).then((s) => (order.push('new'), s.release()));
    const b = scheduler.acquire(pool, { front: true }).then((s) => (order.push('resumed'), s.release()));
    holder.release();
    await Promise.all([a, b]);
    assert.deepEqual(order, ['resumed', 'new']);
  });

  it('frees only one slot when a slot is released twice', async () => {
    const scheduler = new Scheduler();
    const pool = { id: 'p', defaultSize: 2 };
    const a = await scheduler.acquire(pool);
    const b = await scheduler.acquire(pool);
    a.release();
    a.release();
    assert.equal(scheduler.inFlight('p'), 1);
    b.release();
    assert.equal(scheduler.inFlight('p'), 0);
  });
});
