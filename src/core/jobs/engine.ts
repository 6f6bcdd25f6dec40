/**
 * The generation engine: turns a GenerationRequest into saved image files.
 *
 *   start -> validate (nothing queued or sent when invalid) -> queued in the model's pool (FIFO)
 *         -> submitting (rate-limited, retried only where safe) -> running (journalled, polled)
 *         -> downloading (slot released first) -> saved | failed | cancelled
 *
 * Every change is published as a TaskEvent carrying the task's snapshot; the UI renders nothing else.
 */
import { randomUUID } from 'node:crypto';
import type { CloudCaller } from '../tencent/caller';
import { cancelledError, submitNotResentError } from '../tencent/error-catalog';
import { type Localized, StudioError } from '../tencent/errors';
import type { ApiCall, GenerationRequest, GenerationResult, ModelId, Provider } from '../providers/types';
import type { ImageSaver, Journal, JournalEntry, SavedImage, SubmittedJob, WorkspaceFolderRef } from './ports';
import { type Clock, realClock } from './clock';
import { jobFailedError, noResultImagesError, resultExpiredError, statusCheckFailedError, unexpectedError } from './job-errors';
import { JobDurationEstimator } from './duration-estimator';
import { pollUntilDone } from './poller';
import { earliestSignedExpiry } from './signed-url';
import { rateKey, RateLimiter } from './rate-limiter';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from './retry';
import { Scheduler, type Slot } from './scheduler';
import { type TaskPatch, type TaskSnapshot, type TaskState, TaskMachine } from './task';

export interface EngineOptions {
  readonly caller: CloudCaller;
  readonly saver: ImageSaver;
  readonly journal: Journal;
  /** The catalog's provider for a model (src/core/providers/catalog.ts). Throws for an unknown model. */
  readonly getProvider: (modelId: ModelId) => Provider;
  /** Pool id -> total pool size (documented default + purchased add-on packs), from settings. */
  readonly poolSizes?: Readonly<Record<string, number>>;
  readonly clock?: Clock;
  readonly retryPolicy?: RetryPolicy;
  /** One line per notable event (submits with their RequestId, retries, failures). Never secrets. */
  readonly log?: (line: string) => void;
}

export interface StartOptions {
  /** Absolute folder the images are saved into. */
  readonly directory: string;
  /** The workspace folder `directory` lies in: handed to the saver with every image, and journalled. */
  readonly workspaceFolder?: WorkspaceFolderRef;
}

export interface TaskEvent {
  /** `state`: the task is new or changed state; `progress`: same state, new details (poll, saved image). */
  readonly type: 'state' | 'progress';
  readonly task: TaskSnapshot;
}

export type TaskListener = (event: TaskEvent) => void;

/** A started task, as its starter sees it. */
export interface Task {
  readonly id: string;
  snapshot(): TaskSnapshot;
  /** The final snapshot, once the task has finished and all its work (including cleanup) has stopped. */
  readonly settled: Promise<TaskSnapshot>;
}

const STOPPED_WAITING: Localized = {
  en: 'Stopped waiting. The cloud job may still finish and be billed.',
  zh: '已停止等待。云端任务可能仍会完成并计费。',
};

const STOPPED_DOWNLOAD: Localized = {
  en: 'The download was stopped. The image was already generated and is billed.',
  zh: '已停止下载。图片已经生成并会计费。',
};

/** Per-task bookkeeping the snapshot does not show. */
interface Running {
  readonly machine: TaskMachine;
  readonly controller: AbortController;
  /** Whether the submit request has been handed to the transport (it may then reach the cloud). */
  submitSent: boolean;
  /** StartOptions.workspaceFolder (or the journal's, for a resumed job). */
  readonly workspaceFolder?: WorkspaceFolderRef;
  settled?: Promise<TaskSnapshot>;
}

export class GenerationEngine {
  private readonly caller: CloudCaller;
  private readonly saver: ImageSaver;
  private readonly journal: Journal;
  private readonly getProvider: (modelId: ModelId) => Provider;
  private readonly clock: Clock;
  private readonly retryPolicy: RetryPolicy;
  private readonly log: (line: string) => void;
  private readonly scheduler: Scheduler;
  private readonly limiter: RateLimiter;
  private readonly tasks = new Map<string, Running>();
  /** Per model and size: how long jobs take, so polls land where the next one finishes. */
  private readonly durations = new JobDurationEstimator();
  private readonly listeners = new Set<TaskListener>();

  constructor(options: EngineOptions) {
    this.caller = options.caller;
    this.saver = options.saver;
    this.journal = options.journal;
    this.getProvider = options.getProvider;
    this.clock = options.clock ?? realClock;
    this.retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.log = options.log ?? (() => undefined);
    this.scheduler = new Scheduler(options.poolSizes);
    this.limiter = new RateLimiter(this.clock);
  }

  /**
   * Validates and queues one generation. Throws a StudioError (kind `invalid`) when the request
   * breaks a limit of its model: then nothing is queued and nothing is sent.
   */
  start(request: GenerationRequest, options: StartOptions): Task {
    const provider = this.getProvider(request.modelId);
    // buildSubmit validates first; building now also surfaces encoding problems before queuing.
    const submit = provider.buildSubmit(request);
    const machine = new TaskMachine({ id: randomUUID(), request, directory: options.directory, now: this.clock.now() });
    const running = this.register(machine, options.workspaceFolder);
    running.settled = this.settle(running, () => this.runNew(running, provider, submit));
    return this.handle(running);
  }

  /**
   * Picks up the jobs journalled by an earlier session (a window reload): polls each until it
   * finishes and saves its images. Jobs whose results have outlived their URL lifetime fail with
   * an expired-result error naming the job id; they are not retried.
   */
  async resume(): Promise<Task[]> {
    const resumed: Task[] = [];
    for (const entry of await this.journal.list()) {
      if (this.tasks.has(entry.taskId)) continue;
      let provider: Provider;
      try {
        provider = this.getProvider(entry.modelId);
      } catch (error) {
        this.log(`Dropping journalled job ${entry.jobId}: model ${entry.modelId} is no longer available (${String(error)})`);
        await this.forget(entry.taskId);
        continue;
      }
      const machine = new TaskMachine({
        id: entry.taskId,
        request: entry.request,
        directory: entry.directory,
        now: this.clock.now(),
        resumed: { jobId: entry.jobId, requestId: entry.requestId, submittedAt: entry.submittedAt },
      });
      const running = this.register(machine, entry.workspaceFolder);
      running.submitSent = true;
      this.log(`Resuming job ${entry.jobId} (${entry.modelId}, submit RequestId ${entry.requestId})`);
      running.settled = this.settle(running, async () => {
        const slot = await this.scheduler.acquire(provider.spec.pool, { signal: running.controller.signal, front: true });
        await this.pollAndSave(running, provider, slot, entry, true);
      });
      resumed.push(this.handle(running));
    }
    return resumed;
  }

  /**
   * Cancels a task. Queued: removed, nothing is sent. Submitting/running: we stop waiting, and the
   * snapshot says the cloud job may still finish and be billed. Downloading: the save is aborted,
   * leaving no half-written file. Returns false when the task is unknown or already finished.
   */
  cancel(taskId: string): boolean {
    const running = this.tasks.get(taskId);
    if (!running || running.machine.terminal) return false;
    const from = running.machine.state;
    const patch: TaskPatch =
      from === 'downloading'
        ? { mayStillBeBilled: true, note: STOPPED_DOWNLOAD }
        : from === 'running' || (from === 'submitting' && running.submitSent)
          ? { mayStillBeBilled: true, note: STOPPED_WAITING }
          : {};
    this.emit('state', running.machine.transition('cancelled', this.clock.now(), patch));
    running.controller.abort();
    void this.forget(taskId);
    return true;
  }

  /** Cancels every unfinished task; returns how many were cancelled. */
  cancelAll(): number {
    return [...this.tasks.keys()].filter((id) => this.cancel(id)).length;
  }

  /** Every task of this session, oldest first. */
  list(): TaskSnapshot[] {
    return [...this.tasks.values()].map((running) => running.machine.snapshot());
  }

  get(taskId: string): TaskSnapshot | undefined {
    return this.tasks.get(taskId)?.machine.snapshot();
  }

  /** Listens to every task event; returns the unsubscribe function. */
  subscribe(listener: TaskListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** New pool sizes from settings; raising one lets queued tasks start at once. */
  setPoolSizes(poolSizes: Readonly<Record<string, number>>): void {
    this.scheduler.setOverrides(poolSizes);
  }

  /**
   * Stops all work without cancelling: tasks keep their state and journalled jobs stay in the
   * journal, so the next session resumes them (this is what a window reload amounts to).
   */
  dispose(): void {
    this.listeners.clear();
    for (const running of this.tasks.values()) running.controller.abort();
  }

  private register(machine: TaskMachine, workspaceFolder: WorkspaceFolderRef | undefined): Running {
    const running: Running = { machine, controller: new AbortController(), submitSent: false, workspaceFolder };
    this.tasks.set(machine.id, running);
    this.emit('state', machine.snapshot());
    return running;
  }

  private handle(running: Running): Task {
    return { id: running.machine.id, snapshot: () => running.machine.snapshot(), settled: running.settled! };
  }

  /** Runs a task's work and turns any error into the `failed` state (unless it was cancelled). */
  private async settle(running: Running, work: () => Promise<void>): Promise<TaskSnapshot> {
    try {
      await work();
    } catch (error) {
      if (!running.controller.signal.aborted) {
        const studioError = error instanceof StudioError ? error : unexpectedError(error);
        this.log(`Task ${running.machine.id} failed: ${studioError.code} ${studioError.message}`);
        this.emit('state', running.machine.transition('failed', this.clock.now(), { error: studioError }));
        await this.forget(running.machine.id);
      }
    }
    return running.machine.snapshot();
  }

  private async runNew(running: Running, provider: Provider, submit: ApiCall): Promise<void> {
    const { spec } = provider;
    const { signal } = running.controller;
    const slot = await this.scheduler.acquire(spec.pool, { signal });
    try {
      this.advance(running, 'submitting');
      let sentAt = this.clock.now();
      const reply = await withRetry(
        async () => {
          await this.limiter.acquire(rateKey(submit.service, submit.action), spec.rateLimits[submit.action], signal);
          running.submitSent = true;
          sentAt = this.clock.now();
          return this.caller.call(submit, { signal });
        },
        { kind: 'submit', clock: this.clock, signal, policy: this.retryPolicy, onRetry: this.logRetry(running, submit.action) },
      ).catch((error: unknown) => {
        // Not resent (retry.ts): the message must say the job may exist and be billed.
        throw error instanceof StudioError ? submitNotResentError(error) : error;
      });
      this.log(`${submit.action} answered, RequestId ${reply.requestId}`);
      if (spec.mode === 'sync') {
        const result = provider.parseSync(reply.response, reply.requestId, this.clock.now());
        slot.release();
        await this.saveAll(running, provider, result, { requestId: reply.requestId });
        return;
      }
      const job: SubmittedJob = { jobId: provider.parseSubmit(reply.response), submittedAt: sentAt, target: reply.target };
      await this.record(running, provider, job, reply.requestId);
      this.advance(running, 'running', { jobId: job.jobId, requestId: reply.requestId });
      await this.pollAndSave(running, provider, slot, job, false);
    } finally {
      slot.release();
    }
  }

  /** Journals a submitted job before polling, so a reload can resume it. */
  private async record(running: Running, provider: Provider, { jobId, submittedAt, target }: SubmittedJob, requestId: string): Promise<void> {
    const { referenceImages: _bytes, ...request } = running.machine.snapshot().request;
    const entry: JournalEntry = {
      taskId: running.machine.id,
      modelId: provider.spec.id,
      jobId,
      request,
      directory: running.machine.snapshot().directory,
      workspaceFolder: running.workspaceFolder,
      submittedAt,
      requestId,
      target,
    };
    try {
      await this.journal.put(entry);
    } catch (error) {
      // The job is submitted (and billed) already: failing the task would throw its result away.
      this.log(`Could not journal job ${jobId}; it will not survive a reload: ${String(error)}`);
    }
  }

  private async pollAndSave(running: Running, provider: Provider, slot: Slot, { jobId, submittedAt, target }: SubmittedJob, resumed: boolean): Promise<void> {
    const { signal } = running.controller;
    const durationKey = `${provider.spec.id} ${running.machine.snapshot().request.resolution ?? ''}`;
    const { status, polls, bracket } = await pollUntilDone({
      provider,
      jobId,
      target,
      caller: this.caller,
      limiter: this.limiter,
      clock: this.clock,
      submittedAt,
      immediate: resumed,
      expected: resumed ? undefined : this.durations.expected(durationKey),
      signal,
      retryPolicy: this.retryPolicy,
      onProgress: (progress, count) => this.progress(running, { cloudState: progress.state, requestId: progress.requestId, polls: count }),
      onRetry: this.logRetry(running, provider.spec.queryAction ?? 'query'),
    }).catch((error: unknown) => {
      throw error instanceof StudioError && error.kind !== 'cancelled' ? statusCheckFailedError(error, jobId) : error;
    });
    // The cloud's pool slot is free once the job is finished; downloading does not need it.
    slot.release();
    if (!resumed && status.state === 'done') this.durations.record(durationKey, bracket);
    this.throwIfStopped(running);
    if (status.state === 'failed') {
      this.progress(running, { polls });
      throw jobFailedError(status.error);
    }
    const { result } = status;
    // After a reload we do not know when the job finished, so the URLs' own signed expiry decides;
    // without one, a whole URL lifetime since the submit. Expired results are reported with the job
    // id rather than downloaded (or retried) in vain.
    const expiresAt = resumed ? (earliestSignedExpiry(result.images) ?? submittedAt + provider.spec.resultUrlLifetimeMs) : result.expiresAt;
    if (expiresAt !== undefined && this.clock.now() >= expiresAt) {
      this.progress(running, { polls, requestId: result.requestId });
      throw resultExpiredError(jobId, expiresAt);
    }
    await this.saveAll(running, provider, { ...result, expiresAt }, { polls, jobId });
    await this.forget(running.machine.id);
  }

  private async saveAll(running: Running, provider: Provider, result: GenerationResult, patch: TaskPatch): Promise<void> {
    const { signal } = running.controller;
    // Providers drop the images whose per-image detail is a failure; a done job may be left with none.
    const { images } = result;
    if (images.length === 0) throw noResultImagesError(result.details ?? [], result.requestId, result.jobId);
    const snapshot = running.machine.snapshot();
    const { request } = snapshot;
    this.advance(running, 'downloading', {
      ...patch,
      requestId: result.requestId,
      revisedPrompt: result.revisedPrompt,
      seed: result.seed ?? request.seed,
      progress: { saved: 0, total: images.length },
    });
    const files: SavedImage[] = [];
    for (const image of images) {
      const saved = await withRetry(
        () =>
          this.saver.save({
            image,
            directory: snapshot.directory,
            workspaceFolder: running.workspaceFolder,
            prompt: request.prompt,
            record: {
              prompt: request.prompt,
              negativePrompt: request.negativePrompt,
              model: provider.spec.id,
              size: request.resolution ?? provider.spec.defaultResolution,
              style: request.style ?? provider.spec.defaultStyle,
              seed: result.seed ?? request.seed,
              requestId: result.requestId,
              jobId: result.jobId ?? snapshot.jobId,
              time: new Date(this.clock.now()).toISOString(),
              revisedPrompt: result.revisedPrompt,
            },
            signal,
            expiresAt: result.expiresAt,
          }),
        { kind: 'download', clock: this.clock, signal, policy: this.retryPolicy, onRetry: this.logRetry(running, 'download') },
      );
      files.push(saved);
      this.progress(running, { files: [...files], progress: { saved: files.length, total: images.length } });
    }
    this.advance(running, 'saved');
  }

  /** State change from the task's own work; stops quietly when the task was cancelled meanwhile. */
  private advance(running: Running, to: TaskState, patch: TaskPatch = {}): void {
    this.throwIfStopped(running);
    this.emit('state', running.machine.transition(to, this.clock.now(), patch));
  }

  private progress(running: Running, patch: TaskPatch): void {
    if (running.controller.signal.aborted) return;
    this.emit('progress', running.machine.update(this.clock.now(), patch));
  }

  private throwIfStopped(running: Running): void {
    if (running.controller.signal.aborted) throw cancelledError();
  }

  private async forget(taskId: string): Promise<void> {
    try {
      await this.journal.remove(taskId);
    } catch (error) {
      this.log(`Could not remove task ${taskId} from the journal: ${String(error)}`);
    }
  }

  private logRetry(running: Running, what: string): (error: Error, attempt: number, delayMs: number) => void {
    return (error, attempt, delayMs) => {
      const code = error instanceof StudioError ? error.code : error.name;
      this.log(`Task ${running.machine.id}: ${what} attempt ${attempt} failed (${code}); retrying in ${Math.round(delayMs)} ms`);
    };
  }

  private emit(type: TaskEvent['type'], task: TaskSnapshot): void {
    for (const listener of this.listeners) {
      try {
        listener({ type, task });
      } catch (error) {
        // A broken view must not break the task it is watching.
        this.log(`A task listener threw: ${String(error)}`);
      }
    }
  }
}
