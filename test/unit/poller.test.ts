import * as assert from 'node:assert/strict';
import { JobDurationEstimator, PROBE_MIN_STEP_MS, probeTimes } from '../../src/core/jobs/duration-estimator';
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

/** Polls one job of `length` ms with the estimator's current guess and teaches it the outcome. */
function pollAndLearn(estimator: JobDurationEstimator, length: number): { noticedAfter: number; queries: number } {
  const times = pollTimes(length, estimator.expected('job'));
  const finishedAt = times[times.length - 1]!;
  const lastPendingAt = times.length > 1 ? times[times.length - 2] : undefined;
  estimator.record('job', { lastPendingAt, finishedAt });
  return { noticedAfter: finishedAt - length, queries: times.length };
}

describe('learned job duration', () => {
  it('leaves the base schedule alone until a job of the kind has finished', () => {
    for (const length of [800, 4_000, 45_000]) assert.deepEqual(pollTimes(length, undefined), pollTimes(length));
  });

  it('after a few jobs, notices each one within a probe step of finishing', () => {
    for (const length of [1_100, 2_300, 7_400, 31_000, 96_000]) {
      const estimator = new JobDurationEstimator();
      const outcomes = Array.from({ length: 12 }, () => pollAndLearn(estimator, length));
      const step = Math.max(PROBE_MIN_STEP_MS, 0.02 * length);
      // The first job pays the base schedule's delay; from the third on, the probes catch it.
      assert.ok(outcomes[0]!.noticedAfter > step, `the first ${length} ms job is noticed late without history`);
      for (const { noticedAfter } of outcomes.slice(2)) {
        assert.ok(noticedAfter <= 2 * step + 1e-6, `${length} ms job noticed ${noticedAfter} ms late (step ${step})`);
      }
    }
  });

  it('adds at most four queries to the base schedule', () => {
    for (const length of [1_000, 9_000, 60_000]) {
      const estimator = new JobDurationEstimator();
      for (let i = 0; i < 5; i++) {
        const { queries } = pollAndLearn(estimator, length);
        assert.ok(queries <= pollTimes(length).length + 4, `${length} ms job took ${queries} queries`);
      }
    }
  });

  it('follows a change in job length instead of sticking to the old one', () => {
    const estimator = new JobDurationEstimator();
    for (let i = 0; i < 4; i++) pollAndLearn(estimator, 2_000);
    const outcomes = Array.from({ length: 6 }, () => pollAndLearn(estimator, 5_000));
    assert.ok(outcomes[5]!.noticedAfter <= 2 * 100 + 1e-6, `after the change: ${outcomes[5]!.noticedAfter} ms late`);
    const window = estimator.expected('job')!;
    assert.ok(window.pendingUntil < 5_000 && window.doneBy >= 5_000 && window.doneBy - window.pendingUntil < 400, JSON.stringify(window));
  });

  it('spreads probes across the window, never finer than the step nor at or before submit', () => {
    // A wide window: four probes evenly across it, the last at its end.
    assert.deepEqual(probeTimes({ pendingUntil: 8_000, doneBy: 12_000 }), [9_000, 10_000, 11_000, 12_000]);
    // A narrow one: never closer than the finest step (2 % of 10 s), centred on the window.
    assert.deepEqual(probeTimes({ pendingUntil: 9_990, doneBy: 10_010 }), [9_800, 10_000, 10_200, 10_400]);
    assert.deepEqual(probeTimes({ pendingUntil: 0, doneBy: 60 }), [30, 70, 110]);
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
