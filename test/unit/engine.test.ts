import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenerationEngine, type TaskEvent } from '../../src/core/jobs/engine';
import { MemoryJournal } from '../../src/core/jobs/journal';
import { DEFAULT_RETRY_POLICY } from '../../src/core/jobs/retry';
import type { TaskState } from '../../src/core/jobs/task';
import { getProvider } from '../../src/core/providers/catalog';
import type { GenerationRequest } from '../../src/core/providers/types';
import { httpStatusError, malformedReplyError, networkError } from '../../src/core/tencent/error-catalog';
import { StudioError } from '../../src/core/tencent/errors';
import { FileImageSaver } from '../../src/core/images/saver';
import { TencentCloudClient } from '../../src/core/tencent/client';
import { startFakeCloud, TEST_CREDENTIALS, type FakeCloud, type FakeCloudOptions } from '../fake-cloud/index';
import { waitFor } from '../integration/support/wait';
import { VirtualClock } from './support/virtual-clock';
import { SimCloud, SimSaver } from './support/sim-cloud';

const SECOND = 1000;
const job = (prompt: string, extra: Partial<GenerationRequest> = {}): GenerationRequest => ({ modelId: 'hunyuan-image-job', prompt, ...extra });

interface Setup {
  clock: VirtualClock;
  cloud: SimCloud;
  journal: MemoryJournal;
  saver: SimSaver;
  engine: GenerationEngine;
  dir: string;
  events: TaskEvent[];
  statesOf(taskId: string): TaskState[];
}

const dirs: string[] = [];
after(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function setup(options: { jobMs?: number; cloudPool?: number; poolSizes?: Record<string, number>; saveDelayMs?: number; journal?: MemoryJournal; clock?: VirtualClock; cloud?: SimCloud } = {}): Promise<Setup> {
  const clock = options.clock ?? new VirtualClock();
  const cloud = options.cloud ?? new SimCloud({ clock, jobMs: options.jobMs ?? 10 * SECOND, poolSize: options.cloudPool ?? 1 });
  const journal = options.journal ?? new MemoryJournal();
  const saver = new SimSaver(cloud, clock, options.saveDelayMs ?? 0);
  const dir = await mkdtemp(join(tmpdir(), 'engine-test-'));
  dirs.push(dir);
  const engine = new GenerationEngine({
    caller: cloud,
    saver,
    journal,
    getProvider,
    poolSizes: options.poolSizes,
    clock,
    retryPolicy: { ...DEFAULT_RETRY_POLICY, random: () => 0.5 },
  });
  const events: TaskEvent[] = [];
  engine.subscribe((event) => events.push(event));
  const statesOf = (taskId: string): TaskState[] => events.filter((e) => e.task.id === taskId && e.type === 'state').map((e) => e.task.state);
  return { clock, cloud, journal, saver, engine, dir, events, statesOf };
}

describe('GenerationEngine (simulated cloud, virtual clock)', () => {
  it('runs a job through every state, journals it while running and saves each image with its record', async () => {
    const s = await setup();
    const journalled: number[] = [];
    s.engine.subscribe((e) => {
      if (e.type === 'state' && e.task.state === 'running') void s.journal.list().then((list) => journalled.push(list.length));
    });
    const task = s.engine.start(job('a red fox in snow', { count: 2 }), { directory: s.dir });
    const final = await s.clock.runUntil(task.settled);

    assert.deepEqual(s.statesOf(task.id), ['queued', 'submitting', 'running', 'downloading', 'saved']);
    assert.deepEqual(journalled, [1], 'journalled before polling started');
    assert.deepEqual(await s.journal.list(), [], 'removed once saved');
    assert.equal(final.files.length, 2);
    assert.deepEqual((await readdir(s.dir)).sort(), final.files.map((f) => f.path.slice(s.dir.length + 1)).sort());
    assert.ok(final.jobId);
    for (const saved of s.saver.saved) {
      assert.equal(saved.record.prompt, 'a red fox in snow');
      assert.equal(saved.record.model, 'hunyuan-image-job');
      assert.equal(saved.record.jobId, final.jobId);
      assert.equal(saved.record.size, '1024:1024');
      assert.equal(saved.record.revisedPrompt, 'a red fox in snow');
    }
    assert.ok(final.polls >= 2 && final.polls === s.cloud.queries(final.jobId!));
    assert.ok(s.events.some((e) => e.type === 'progress' && e.task.cloudState === 'running'));
    assert.deepEqual(s.events.filter((e) => e.type === 'progress' && e.task.progress).map((e) => e.task.progress), [
      { saved: 1, total: 2 },
      { saved: 2, total: 2 },
    ]);
  });

  it('runs a sync model queued -> submitting -> downloading -> saved', async () => {
    const s = await setup();
    const task = s.engine.start({ modelId: 'hunyuan-text-to-image-lite', prompt: 'a lighthouse' }, { directory: s.dir });
    const final = await s.clock.runUntil(task.settled);
    assert.deepEqual(s.statesOf(task.id), ['queued', 'submitting', 'downloading', 'saved']);
    assert.equal(final.files.length, 1);
    assert.equal(s.saver.saved[0]!.image.kind, 'base64');
  });

  it('fails an invalid request at start: nothing queued, nothing sent', async () => {
    const s = await setup();
    assert.throws(
      () => s.engine.start(job('x'.repeat(1025)), { directory: s.dir }),
      (e: unknown) => e instanceof StudioError && e.kind === 'invalid',
    );
    assert.throws(() => s.engine.start(job('fox', { count: 9 }), { directory: s.dir }), StudioError);
    assert.deepEqual(s.engine.list(), []);
    assert.deepEqual(s.events, []);
    assert.equal(s.cloud.calls.length, 0);
  });

  it('keeps the cloud pool within its size, in FIFO order, with no limit errors; overrides raise it', async () => {
    const s = await setup({ jobMs: 5 * SECOND });
    const tasks = ['one', 'two', 'three', 'four'].map((p) => s.engine.start(job(p), { directory: s.dir }));
    await s.clock.runUntil(Promise.all(tasks.map((t) => t.settled)));
    assert.equal(s.cloud.maxRunning, 1);
    assert.equal(s.cloud.limitErrors, 0);
    assert.deepEqual(
      s.cloud.calls.filter((c) => c.action === 'SubmitHunyuanImageJob').map((c) => c.params.Prompt),
      ['one', 'two', 'three', 'four'],
    );
    assert.ok(tasks.every((t) => t.snapshot().state === 'saved'));

    const raised = await setup({ jobMs: 5 * SECOND, cloudPool: 3, poolSizes: { 'hunyuan-image-job': 3 } });
    const more = Array.from({ length: 7 }, (_, i) => raised.engine.start(job(`p${i}`), { directory: raised.dir }));
    await raised.clock.runUntil(Promise.all(more.map((t) => t.settled)));
    assert.equal(raised.cloud.maxRunning, 3);
    assert.equal(raised.cloud.limitErrors, 0);
  });

  it('frees the pool slot when the job is done, before downloading', async () => {
    const s = await setup({ jobMs: 2 * SECOND, saveDelayMs: 30 * SECOND });
    const first = s.engine.start(job('first'), { directory: s.dir });
    const second = s.engine.start(job('second'), { directory: s.dir });
    await s.clock.runUntil(Promise.all([first.settled, second.settled]));
    const a = first.snapshot().timestamps;
    const b = second.snapshot().timestamps;
    assert.ok(b.submitting! >= a.downloading! && b.submitting! < a.saved!, 'the second was submitted while the first was downloading');
  });

  it('cancels a queued task without sending anything for it', async () => {
    const s = await setup();
    const running = s.engine.start(job('keep'), { directory: s.dir });
    const queued = s.engine.start(job('drop'), { directory: s.dir });
    await s.clock.run(s.clock.now() + 100);
    assert.equal(queued.snapshot().state, 'queued');
    assert.equal(s.engine.cancel(queued.id), true);
    const cancelled = await queued.settled;
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.mayStillBeBilled, false);
    await s.clock.runUntil(running.settled);
    assert.ok(s.cloud.calls.every((c) => c.params.Prompt !== 'drop'), 'no request carried the cancelled prompt');
    assert.equal(s.engine.cancel(queued.id), false, 'a finished task cannot be cancelled again');
  });

  it('cancels a running job: stops polling, drops the journal entry, and says it may still be billed', async () => {
    const s = await setup({ jobMs: 60 * SECOND });
    const task = s.engine.start(job('long'), { directory: s.dir });
    await s.clock.run(s.clock.now() + 5 * SECOND);
    assert.equal(task.snapshot().state, 'running');
    s.engine.cancel(task.id);
    const final = await s.clock.runUntil(task.settled);
    assert.equal(final.state, 'cancelled');
    assert.equal(final.mayStillBeBilled, true);
    assert.match(final.note!.en, /may still finish and be billed/);
    assert.deepEqual(await s.journal.list(), []);
    const queries = s.cloud.queries(final.jobId!);
    await s.clock.run(s.clock.now() + 120 * SECOND);
    assert.equal(s.cloud.queries(final.jobId!), queries, 'no query after cancel');
    assert.deepEqual(s.saver.saved, []);
  });

  it('cancels a download by aborting the save: no half-written file remains', async () => {
    const s = await setup({ jobMs: SECOND, saveDelayMs: 10 * SECOND });
    const task = s.engine.start(job('big'), { directory: s.dir });
    const downloading = new Promise<void>((resolve) => s.engine.subscribe((e) => e.task.id === task.id && e.task.state === 'downloading' && resolve()));
    await s.clock.runUntil(downloading);
    // The save writes its temporary file with real I/O, then waits on the virtual clock: wait for the file.
    for (let i = 0; i < 200 && !(await readdir(s.dir)).some((name) => name.endsWith('.part')); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok((await readdir(s.dir)).some((name) => name.endsWith('.part')), 'the save had started writing');
    s.engine.cancel(task.id);
    const final = await s.clock.runUntil(task.settled);
    assert.equal(final.state, 'cancelled');
    assert.deepEqual(await readdir(s.dir), []);
  });

  it('never repeats a submit that may have reached the server', async () => {
    const s = await setup();
    s.cloud.failNext('SubmitHunyuanImageJob', networkError(new Error('socket hang up'), true));
    const task = s.engine.start(job('once'), { directory: s.dir });
    const final = await s.clock.runUntil(task.settled);
    assert.equal(final.state, 'failed');
    assert.equal(final.error?.code, 'Client.NetworkError');
    assert.equal(final.error?.mayHaveReachedServer, true);
    assert.equal(s.cloud.calls.filter((c) => c.action === 'SubmitHunyuanImageJob').length, 1);
  });

  it('never repeats a submit answered by a gateway 5xx, though a 5xx is retryable elsewhere', async () => {
    const s = await setup();
    const error = httpStatusError(502);
    assert.equal(error.retryable, true);
    s.cloud.failNext('SubmitHunyuanImageJob', error);
    const final = await s.clock.runUntil(s.engine.start(job('once'), { directory: s.dir }).settled);
    assert.equal(final.state, 'failed');
    assert.equal(final.error?.code, 'Client.HttpStatus502');
    assert.equal(s.cloud.calls.filter((c) => c.action === 'SubmitHunyuanImageJob').length, 1);
    // The 5xx text alone says "retried automatically", which is not true of a submit.
    assert.match(final.error!.explanation.en, /HTTP 502.*may have been created and will be billed.*not resent automatically/);
    assert.doesNotMatch(final.error!.nextStep.en, /retried automatically/);
    assert.match(final.error!.nextStep.en, /usage in the Tencent Cloud console/);
  });

  it('tells the user a submit whose reply was unreadable may have created a billed job', async () => {
    const s = await setup();
    s.cloud.failNext('SubmitHunyuanImageJob', malformedReplyError('Unexpected end of JSON input'));
    const final = await s.clock.runUntil(s.engine.start(job('once'), { directory: s.dir }).settled);
    assert.equal(final.error?.code, 'Client.MalformedReply');
    assert.match(final.error!.explanation.en, /could not be read.*may have been created and will be billed/);
    assert.match(final.error!.explanation.zh, /可能已被创建并计费/);
    assert.equal(s.cloud.calls.filter((c) => c.action === 'SubmitHunyuanImageJob').length, 1);
  });

  it('repeats a query answered by a gateway 5xx', async () => {
    const s = await setup({ jobMs: 2 * SECOND });
    s.cloud.failNext('QueryHunyuanImageJob', httpStatusError(502));
    const final = await s.clock.runUntil(s.engine.start(job('again'), { directory: s.dir }).settled);
    assert.equal(final.state, 'saved');
    assert.equal(s.cloud.queries(final.jobId!), final.polls + 1);
  });

  it('a job whose status cannot be checked any more fails naming the job, which may still finish and be billed, and is not submitted again', async () => {
    const s = await setup({ jobMs: 60 * SECOND });
    for (let attempt = 0; attempt < DEFAULT_RETRY_POLICY.queryAttempts + 1; attempt++) {
      s.cloud.failNext('QueryHunyuanImageJob', networkError(new Error('ECONNREFUSED'), false));
    }
    const final = await s.clock.runUntil(s.engine.start(job('unreachable'), { directory: s.dir }).settled);
    assert.equal(final.state, 'failed');
    assert.equal(final.error?.code, 'Client.NetworkError', 'the cause keeps its code');
    assert.equal(final.error?.jobId, final.jobId);
    assert.match(final.error!.explanation.en, new RegExp(`Job ${final.jobId} was created on Tencent Cloud, but checking on it failed: Could not connect`));
    assert.match(final.error!.nextStep.en, /may still finish on the cloud and be billed: look for job/);
    assert.match(final.error!.nextStep.zh, /可能仍会在云端完成并计费/);
    assert.equal(s.cloud.calls.filter((c) => c.action === 'SubmitHunyuanImageJob').length, 1);
  });

  it('repeats a submit that certainly did not leave, and it succeeds', async () => {
    const s = await setup();
    s.cloud.failNext('SubmitHunyuanImageJob', networkError(new Error('ECONNREFUSED'), false));
    const task = s.engine.start(job('twice'), { directory: s.dir });
    const final = await s.clock.runUntil(task.settled);
    assert.equal(final.state, 'saved');
    assert.equal(s.cloud.calls.filter((c) => c.action === 'SubmitHunyuanImageJob').length, 2);
  });

  it('retries after JobNumExceed (the account pool busy elsewhere) and then succeeds', async () => {
    const s = await setup({ jobMs: 3 * SECOND });
    s.cloud.occupy(6 * SECOND);
    const task = s.engine.start(job('patient'), { directory: s.dir });
    const final = await s.clock.runUntil(task.settled);
    assert.equal(final.state, 'saved');
    assert.ok(s.cloud.limitErrors >= 1, 'the cloud refused at least once');
    assert.equal(s.cloud.submits.length, 1, 'exactly one job was created');
  });

  it('reports a job the cloud failed, with its error, and forgets it', async () => {
    const s = await setup({ jobMs: 2 * SECOND });
    const task = s.engine.start(job('please refuse this'), { directory: s.dir });
    const final = await s.clock.runUntil(task.settled);
    assert.deepEqual(s.statesOf(task.id), ['queued', 'submitting', 'running', 'failed']);
    assert.equal(final.error?.code, 'FailedOperation.GenerateImageFailed');
    assert.equal(final.error?.kind, 'moderation');
    assert.deepEqual(await s.journal.list(), []);
  });

  it('a job failed with a retryable engine error is final: one submit, and no promise of an automatic retry', async () => {
    const s = await setup({ jobMs: 2 * SECOND });
    const final = await s.clock.runUntil(s.engine.start(job('engine error please'), { directory: s.dir }).settled);
    assert.equal(final.state, 'failed');
    assert.equal(final.error?.code, 'FailedOperation.EngineServerError');
    assert.match(final.error!.explanation.en, /image engine had an internal error/);
    assert.doesNotMatch(final.error!.nextStep.en, /retried automatically/);
    assert.match(final.error!.nextStep.en, /not submitted again automatically: generate again/);
    assert.equal(final.error?.retryable, false);
    assert.equal(s.cloud.calls.filter((c) => c.action === 'SubmitHunyuanImageJob').length, 1);
  });

  it('resumes a journalled job after a reload and saves its images', async () => {
    const journal = new MemoryJournal();
    const clock = new VirtualClock();
    const first = await setup({ jobMs: 20 * SECOND, journal, clock });
    const task = first.engine.start(job('survives reload'), { directory: first.dir });
    await clock.run(clock.now() + 3 * SECOND);
    assert.equal(task.snapshot().state, 'running');
    first.engine.dispose();
    await clock.runUntil(task.settled);
    assert.equal((await journal.list()).length, 1, 'a reload keeps the journal');

    const second = await setup({ journal, clock, cloud: first.cloud });
    const [resumed] = await second.engine.resume();
    assert.equal(resumed!.id, task.id);
    assert.equal(resumed!.snapshot().resumed, true);
    const final = await clock.runUntil(resumed!.settled);
    assert.equal(final.state, 'saved');
    assert.equal(final.jobId, task.snapshot().jobId);
    assert.equal(final.files.length, 1);
    assert.equal(first.cloud.submits.length, 1, 'resuming never submits again');
    assert.deepEqual(await journal.list(), []);
  });

  // Removing the first folder of a workspace restarts the extension host: the job resumed there must
  // still name the folder it was started for, so the saver can refuse a folder that was closed.
  it('hands the task\'s workspace folder to the saver with each image, journals it, and hands it over again after a reload', async () => {
    const journal = new MemoryJournal();
    const clock = new VirtualClock();
    const folder = { uri: 'file:///work/sketches', name: 'sketches' };
    // Room for two jobs at once: both are running when the window goes.
    const pools = { cloudPool: 2, poolSizes: { 'hunyuan-image-job': 2 } };
    const first = await setup({ jobMs: 20 * SECOND, journal, clock, ...pools });
    const direct = first.engine.start(job('saved at once', { count: 2 }), { directory: first.dir, workspaceFolder: folder });
    await clock.runUntil(direct.settled);
    assert.deepEqual(first.saver.saved.map((request) => request.workspaceFolder), [folder, folder], 'each image of the task');

    const pending = first.engine.start(job('saved after the reload'), { directory: first.dir, workspaceFolder: folder });
    const outside = first.engine.start(job('a folder of no workspace'), { directory: first.dir });
    await clock.run(clock.now() + 3 * SECOND);
    assert.deepEqual([pending.snapshot().state, outside.snapshot().state], ['running', 'running']);
    assert.deepEqual(
      (await journal.list()).map((entry) => [entry.request.prompt, entry.workspaceFolder]),
      [
        ['saved after the reload', folder],
        ['a folder of no workspace', undefined],
      ],
    );
    first.engine.dispose();
    await clock.runUntil(Promise.all([pending.settled, outside.settled]));

    const second = await setup({ journal, clock, cloud: first.cloud, poolSizes: pools.poolSizes });
    const resumed = await second.engine.resume();
    const finals = await clock.runUntil(Promise.all(resumed.map((task) => task.settled)));
    assert.deepEqual(finals.map((final) => [final.request.prompt, final.state]), [['saved after the reload', 'saved'], ['a folder of no workspace', 'saved']]);
    // The two resumed jobs save in whichever order their downloads end.
    const byPrompt = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    assert.deepEqual(
      second.saver.saved.map((request) => [request.prompt, request.workspaceFolder]).sort(byPrompt),
      [['a folder of no workspace', undefined], ['saved after the reload', folder]],
    );
  });

  it('queries a job where it was submitted, after the settings moved elsewhere and after a reload', async () => {
    const journal = new MemoryJournal();
    const clock = new VirtualClock();
    const first = await setup({ jobMs: 20 * SECOND, journal, clock });
    const submittedTo = { endpoint: 'https://submitted-to.example/', region: 'ap-shanghai' };
    first.cloud.target = submittedTo;
    const task = first.engine.start(job('pinned job'), { directory: first.dir });
    await clock.run(clock.now() + 3 * SECOND);
    first.cloud.target = {}; // the settings changed while it ran
    await clock.run(clock.now() + 5 * SECOND);
    assert.deepEqual((await journal.list())[0]?.target, submittedTo, 'the journal says where the job lives');
    first.engine.dispose();
    await clock.runUntil(task.settled);

    const second = await setup({ journal, clock, cloud: first.cloud });
    const [resumed] = await second.engine.resume();
    const final = await clock.runUntil(resumed!.settled);
    assert.equal(final.state, 'saved');
    const queries = first.cloud.calls.flatMap((call, index) => (call.action === 'QueryHunyuanImageJob' ? [first.cloud.targets[index]] : []));
    assert.ok(queries.length >= 2, `queried before and after the reload (${queries.length} queries)`);
    for (const target of queries) assert.deepEqual(target, submittedTo);
  });

  it('reports a resumed job whose result URLs outlived their lifetime as expired, naming the job, without downloading', async () => {
    const journal = new MemoryJournal();
    const clock = new VirtualClock();
    const first = await setup({ jobMs: 5 * SECOND, journal, clock });
    const task = first.engine.start(job('too late'), { directory: first.dir });
    await clock.run(clock.now() + 2 * SECOND);
    first.engine.dispose();
    await clock.runUntil(task.settled);
    await clock.run(clock.now() + 2 * 3_600 * SECOND); // the window stays closed for two hours

    const second = await setup({ journal, clock, cloud: first.cloud });
    const [resumed] = await second.engine.resume();
    const final = await clock.runUntil(resumed!.settled);
    assert.equal(final.state, 'failed');
    assert.equal(final.error?.code, 'Client.ResultExpired');
    assert.equal(final.error?.jobId, task.snapshot().jobId);
    assert.ok(final.error?.message.includes(task.snapshot().jobId!));
    assert.deepEqual(second.saver.saved, []);
    assert.deepEqual(await journal.list(), []);
  });

  it('lets resumed jobs keep their pool places ahead of new submits', async () => {
    const journal = new MemoryJournal();
    const clock = new VirtualClock();
    const first = await setup({ jobMs: 30 * SECOND, journal, clock, cloudPool: 2, poolSizes: { 'hunyuan-image-job': 2 } });
    first.engine.start(job('a'), { directory: first.dir });
    first.engine.start(job('b'), { directory: first.dir });
    await clock.run(clock.now() + SECOND);
    first.engine.dispose();
    const second = new GenerationEngine({
      caller: first.cloud,
      saver: new SimSaver(first.cloud, clock),
      journal,
      getProvider,
      poolSizes: { 'hunyuan-image-job': 2 },
      clock,
    });
    const resumed = await second.resume();
    const fresh = second.start(job('c'), { directory: first.dir });
    await clock.runUntil(Promise.all([...resumed.map((t) => t.settled), fresh.settled]));
    assert.deepEqual(resumed.map((t) => t.snapshot().state), ['saved', 'saved']);
    assert.equal(fresh.snapshot().state, 'saved', fresh.snapshot().error?.message);
    assert.ok(fresh.snapshot().timestamps.submitting! >= Math.min(...resumed.map((t) => t.snapshot().timestamps.downloading!)));
    assert.equal(first.cloud.limitErrors, 0, 'the new submit waited for a resumed job to finish');
  });

  it('keeps running when a listener throws', async () => {
    const s = await setup({ jobMs: SECOND });
    s.engine.subscribe(() => {
      throw new Error('broken view');
    });
    const final = await s.clock.runUntil(s.engine.start(job('robust'), { directory: s.dir }).settled);
    assert.equal(final.state, 'saved');
  });
});

describe('GenerationEngine (fake cloud over HTTP, real client and saver)', () => {
  let cloud: FakeCloud | undefined;
  afterEach(async () => {
    await cloud?.close();
    cloud = undefined;
  });

  async function real(options: FakeCloudOptions, poolSizes?: Record<string, number>) {
    cloud = await startFakeCloud({ jobSeconds: 0.3, ...options });
    const dir = await mkdtemp(join(tmpdir(), 'engine-real-'));
    dirs.push(dir);
    const journal = new MemoryJournal();
    const engine = new GenerationEngine({
      caller: new TencentCloudClient({ credentials: () => TEST_CREDENTIALS, endpoint: cloud.url, timeoutMs: 5_000 }),
      saver: new FileImageSaver(),
      journal,
      getProvider,
      poolSizes,
      retryPolicy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 400 },
    });
    return { cloud, dir, journal, engine };
  }

  it('generates a hunyuan job of two images into real files', async () => {
    const { cloud, dir, journal, engine } = await real({});
    const final = await engine.start(job('一只在雪中的红狐狸', { count: 2 }), { directory: dir }).settled;
    assert.equal(final.state, 'saved', final.error?.describe());
    assert.equal(final.files.length, 2);
    assert.deepEqual((await readdir(dir)).sort(), final.files.map((f) => f.path.slice(dir.length + 1)).sort());
    assert.ok(final.files.every((f) => f.bytes > 0 && (f.format === 'png' || f.format === 'jpeg')));
    assert.equal(cloud.stats().submits.SubmitHunyuanImageJob, 1);
    assert.deepEqual(await journal.list(), []);
  });

  it('keeps a sync pool within its size and sends nothing for a cancelled queued task', async () => {
    const { cloud, dir, engine } = await real({});
    const tasks = Array.from({ length: 5 }, (_, i) => engine.start({ modelId: 'hunyuan-text-to-image-lite', prompt: `lighthouse ${i}` }, { directory: dir }));
    assert.equal(tasks[4]!.snapshot().state, 'queued');
    engine.cancel(tasks[4]!.id);
    const finals = await Promise.all(tasks.map((t) => t.settled));
    assert.deepEqual(finals.map((f) => f.state), ['saved', 'saved', 'saved', 'saved', 'cancelled']);
    const stats = cloud.stats();
    assert.equal(stats.submits.TextToImageLite, 4);
    assert.equal(stats.maxRunning['hunyuan-text-to-image-lite'], 3);
    assert.equal(stats.limitErrors, 0);
  });

  it('does not resubmit when the connection drops after the submit arrived', async () => {
    const { cloud, dir, engine } = await real({ faults: ['reset=submit'] });
    const final = await engine.start(job('lost reply'), { directory: dir }).settled;
    assert.equal(final.state, 'failed');
    assert.equal(final.error?.mayHaveReachedServer, true);
    assert.equal(cloud.stats().submits.SubmitHunyuanImageJob, 1);
  });

  it('retries JobNumExceed when the pool setting is above what the account has, and finishes every task', async () => {
    const { cloud, dir, engine } = await real({}, { 'hunyuan-image-job': 2 });
    const finals = await Promise.all([engine.start(job('first'), { directory: dir }).settled, engine.start(job('second'), { directory: dir }).settled]);
    assert.deepEqual(finals.map((f) => f.state), ['saved', 'saved']);
    const stats = cloud.stats();
    assert.ok(stats.limitErrors >= 1, 'the cloud refused the second job at first');
    assert.equal(stats.submits.SubmitHunyuanImageJob, 2);
    assert.equal(stats.maxRunning['hunyuan-image-job'], 1);
  });

  it('reports a resumed job as expired when its presigned URLs died while the window was closed, long before the documented lifetime', async () => {
    const { cloud, dir, journal, engine } = await real({ jobSeconds: 0.3, resultUrlTtlSeconds: 1 });
    const task = engine.start(job('closed too long'), { directory: dir });
    await waitFor('the job to run', () => task.snapshot().state === 'running');
    engine.dispose();
    await task.settled;
    // The job finishes at 0.3 s and its URLs die 1 s later, at the end of their q-sign-time (whole
    // seconds, so up to 1 s more): hours before submit + 1 h. Past the latest possible end:
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const second = new GenerationEngine({
      caller: new TencentCloudClient({ credentials: () => TEST_CREDENTIALS, endpoint: cloud.url, timeoutMs: 5_000 }),
      saver: new FileImageSaver(),
      journal,
      getProvider,
    });
    const [resumed] = await second.resume();
    const final = await resumed!.settled;
    assert.equal(final.state, 'failed');
    assert.equal(final.error?.code, 'Client.ResultExpired', final.error?.describe());
    assert.equal(final.error?.jobId, task.snapshot().jobId);
    assert.ok(final.error?.explanation.en.includes(task.snapshot().jobId!));
    assert.deepEqual(await readdir(dir), [], 'nothing downloaded or half-written');
    assert.deepEqual(await journal.list(), [], 'not resumed again by the next window');
    assert.equal(cloud.stats().submits.SubmitHunyuanImageJob, 1);
  });
});
