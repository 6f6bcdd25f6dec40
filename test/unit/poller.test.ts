import * as assert from 'node:assert/strict';
import { pollDelay, pollTimes, pollUntilDone, POLL_MAX_DELAY_MS } from '../../src/core/jobs/poller';
import { RateLimiter } from '../../src/core/jobs/rate-limiter';
import { networkError } from '../../src/core/tencent/error-catalog';
import { StudioError } from '../../src/core/tencent/errors';
import { VirtualClock } from './support/virtual-clock';
import { getProvider } from '../../src/core/providers/catalog';
import { SimCloud, withSpec } from './support/sim-cloud';

const SECOND = 1000;
/** Job lengths from 0.2 s to 10 min. */
const LENGTHS = Array.from({ length: 400 }, (_, i) => 200 + i * 1500);

describe('poll schedule', () => {
  it('notices a finished job within max(0.5 s, 10 % of its run time)', () => {
    for (const length of LENGTHS) {
      const times = pollTimes(length);
      const noticed = times[times.length - 1]!;
      assert.ok(noticed >= length);
      assert.ok(noticed - length <= Math.max(500, 0.1 * length) + 1e-6, `job of ${length} ms noticed at ${noticed} ms`);
    }
  });

  it('queries first after 0.5 s and never more than twice a second', () => {
    assert.equal(pollDelay(0), 500);
    for (const length of [3 * SECOND, 40 * SECOND, 400 * SECOND]) {
      const times = pollTimes(length);
      assert.equal(times[0], 500);
      times.slice(1).forEach((t, i) => assert.ok(t - times[i]! >= 500));
    }
  });

  it('costs logarithmically many queries: doubling the job length adds a constant, not a multiple', () => {
    const count = (ms: number): number => pollTimes(ms).length;
    // Geometric phase (5 s .. 150 s): each interval is 10 % of the elapsed time, so a doubling costs
    // ln 2 / ln 1.1 ≈ 7.3 queries whatever the length.
    for (let length = 5 * SECOND; length * 2 <= 150 * SECOND; length *= 2) {
      const added = count(length * 2) - count(length);
      assert.ok(added >= 6 && added <= 9, `${length} -> ${length * 2} ms added ${added} queries`);
    }
    assert.ok(count(30 * SECOND) <= 30, `30 s job: ${count(30 * SECOND)} queries`);
    assert.ok(count(60 * SECOND) <= 38, `60 s job: ${count(60 * SECOND)} queries`);
    assert.ok(count(120 * SECOND) <= 46, `2 min job: ${count(120 * SECOND)} queries`);
  });

  it('caps the interval, so a very long job is never more than the cap behind', () => {
    assert.equal(pollDelay(3_600 * SECOND), POLL_MAX_DELAY_MS);
    const times = pollTimes(20 * 60 * SECOND);
    times.slice(1).forEach((t, i) => assert.ok(t - times[i]! <= POLL_MAX_DELAY_MS));
  });
});

describe('pollUntilDone', () => {
  it('sends exactly the scheduled queries and returns the done result', async () => {
    const clock = new VirtualClock();
    const cloud = new SimCloud({ clock, jobMs: 30 * SECOND });
    const provider = getProvider('hunyuan-image-job');
    const { response } = await cloud.call(provider.buildSubmit({ modelId: 'hunyuan-image-job', prompt: 'fox', count: 2 }));
    const jobId = String(response.JobId);
    const progress: number[] = [];
    const outcome = await clock.runUntil(
      pollUntilDone({ provider, jobId, caller: cloud, limiter: new RateLimiter(clock), clock, submittedAt: clock.now(), onProgress: (_, polls) => progress.push(polls) }),
    );
    assert.equal(outcome.status.state, 'done');
    assert.equal(outcome.status.state === 'done' && outcome.status.result.images.length, 2);
    assert.equal(outcome.polls, pollTimes(30 * SECOND).length);
    assert.equal(cloud.queries(jobId), outcome.polls);
    assert.deepEqual(progress, [...Array(outcome.polls - 1).keys()].map((i) => i + 1));
  });

  it('repeats a query that failed on the network, even after it may have reached the server', async () => {
    const clock = new VirtualClock();
    const cloud = new SimCloud({ clock, jobMs: 2 * SECOND });
    const provider = getProvider('hunyuan-image-job');
    const jobId = String((await cloud.call(provider.buildSubmit({ modelId: 'hunyuan-image-job', prompt: 'fox' }))).response.JobId);
    cloud.failNext('QueryHunyuanImageJob', networkError(new Error('socket hang up'), true));
    const outcome = await clock.runUntil(pollUntilDone({ provider, jobId, caller: cloud, limiter: new RateLimiter(clock), clock, submittedAt: clock.now() }));
    assert.equal(outcome.status.state, 'done');
    assert.equal(cloud.queries(jobId), outcome.polls + 1, 'one extra query for the failed one');
  });

  it('reports a failed job as its error, and stops on abort', async () => {
    const clock = new VirtualClock();
    const cloud = new SimCloud({ clock, jobMs: SECOND });
    const provider = getProvider('hunyuan-image-job');
    const refused = String((await cloud.call(provider.buildSubmit({ modelId: 'hunyuan-image-job', prompt: 'refuse this' }))).response.JobId);
    const failed = await clock.runUntil(pollUntilDone({ provider, jobId: refused, caller: cloud, limiter: new RateLimiter(clock), clock, submittedAt: clock.now() }));
    assert.equal(failed.status.state === 'failed' && failed.status.error.code, 'FailedOperation.GenerateImageFailed');

    const controller = new AbortController();
    const slow = String((await cloud.call(provider.buildSubmit({ modelId: 'hunyuan-image-job', prompt: 'slow' }))).response.JobId);
    const polling = pollUntilDone({ provider, jobId: slow, caller: cloud, limiter: new RateLimiter(clock), clock, submittedAt: clock.now(), signal: controller.signal });
    polling.catch(() => undefined);
    await clock.run(clock.now() + 600);
    controller.abort();
    await assert.rejects(polling, (e: unknown) => e instanceof StudioError && e.kind === 'cancelled');
    const sent = cloud.queries(slow);
    await clock.run(clock.now() + 60 * SECOND);
    assert.equal(cloud.queries(slow), sent, 'no query after the abort');
  });

  it('keeps many jobs polled together under the query rate limit', async () => {
    const clock = new VirtualClock();
    const cloud = new SimCloud({ clock, jobMs: 10 * SECOND, poolSize: 50 });
    const provider = withSpec(getProvider('hunyuan-image-job'), { rateLimits: { QueryHunyuanImageJob: 5 } });
    const limiter = new RateLimiter(clock);
    const times: number[] = [];
    const counting = { call: (c: Parameters<SimCloud['call']>[0], o?: Parameters<SimCloud['call']>[1]) => (times.push(clock.now()), cloud.call(c, o)) };
    const jobs = [];
    for (let i = 0; i < 12; i++) jobs.push(String((await cloud.call(provider.buildSubmit({ modelId: 'hunyuan-image-job', prompt: `p${i}` }))).response.JobId));
    const start = clock.now();
    await clock.runUntil(Promise.all(jobs.map((jobId) => pollUntilDone({ provider, jobId, caller: counting, limiter, clock, submittedAt: start }))));
    const worst = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    assert.ok(worst <= 5, `${worst} queries in one second`);
  });
});
