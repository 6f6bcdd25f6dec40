/**
 * A small simulated cloud for the job-engine tests, in process: a real state machine (jobs that run
 * for a set time on the given clock, a concurrency pool that refuses extra jobs with JobNumExceed,
 * result URLs that expire), speaking the hunyuan wire shapes (tencent-api.md §3), and a saver
 * that writes files atomically. Used where the HTTP fake cloud
 * (test/fake-cloud) cannot give deterministic timing; the engine tests also run against that.
 * The providers are the catalog's own (src/core/providers/catalog.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../../src/core/jobs/clock';
import type { ImageSaver, SavedImage, SaveImageRequest } from '../../../src/core/jobs/ports';
import type { ApiCall, ModelSpec, Provider } from '../../../src/core/providers/types';
import type { CallOptions, CallReply, CallTarget, CloudCaller } from '../../../src/core/tencent/caller';
import { cancelledError, cloudError } from '../../../src/core/tencent/error-catalog';
import { StudioError } from '../../../src/core/tencent/errors';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface SimJob {
  readonly id: string;
  readonly prompt: string;
  readonly count: number;
  readonly finishAt: number;
}

export interface SimCloudOptions {
  readonly clock: Clock;
  /** How long a job (or a sync call) runs. */
  readonly jobMs: number;
  /** The account's concurrency pool for the job action; extra submits get JobNumExceed. */
  readonly poolSize?: number;
  readonly resultTtlMs?: number;
}

export class SimCloud implements CloudCaller {
  readonly calls: ApiCall[] = [];
  readonly submits: string[] = [];
  maxRunning = 0;
  limitErrors = 0;
  private readonly jobs = new Map<string, SimJob>();
  private readonly scripted: { action: string; error: StudioError }[] = [];
  private syncRunning = 0;
  private seq = 0;

  constructor(private readonly options: SimCloudOptions) {}

  /** The next call of `action` fails with `error` (after being counted as received). */
  failNext(action: string, error: StudioError): void {
    this.scripted.push({ action, error });
  }

  /** Starts a job for "someone else" on the same account: it occupies the pool like ours. */
  occupy(ms: number): void {
    const id = `other-${++this.seq}`;
    this.jobs.set(id, { id, prompt: 'other', count: 1, finishAt: this.options.clock.now() + ms });
  }

  running(): number {
    const now = this.options.clock.now();
    return [...this.jobs.values()].filter((job) => job.finishAt > now).length + this.syncRunning;
  }

  queries(jobId: string): number {
    return this.calls.filter((c) => c.action === 'QueryHunyuanImageJob' && c.params.JobId === jobId).length;
  }

  /** The bytes behind a result URL, or undefined once it expired. */
  download(url: string): Buffer | undefined {
    const match = /^sim:\/\/([^/]+)\/(\d+)\?expires=(\d+)$/.exec(url);
    if (!match || this.options.clock.now() >= Number(match[3])) return undefined;
    return pngFor(`${match[1]}/${match[2]}`);
  }

  /** Where the simulated settings point; a call with `CallOptions.target` says where it was pinned. */
  target: CallTarget = {};
  /** The target each call in `calls` was sent to. */
  readonly targets: CallTarget[] = [];

  async call(call: ApiCall, options: CallOptions = {}): Promise<CallReply> {
    const target = options.target ?? this.target;
    return { ...(await this.answer(call, options, target)), target };
  }

  private async answer(call: ApiCall, options: CallOptions, target: CallTarget): Promise<Omit<CallReply, 'target'>> {
    if (options.signal?.aborted) throw cancelledError();
    this.calls.push(call);
    this.targets.push(target);
    const requestId = `req-${++this.seq}`;
    const scripted = this.scripted.findIndex((s) => s.action === call.action);
    if (scripted >= 0) {
      const [{ error }] = this.scripted.splice(scripted, 1);
      throw error!;
    }
    const { clock } = this.options;
    const poolSize = this.options.poolSize ?? 1;
    switch (call.action) {
      case 'SubmitHunyuanImageJob': {
        if (this.running() >= poolSize) {
          this.limitErrors += 1;
          throw cloudError('RequestLimitExceeded.JobNumExceed', 'too many jobs', requestId);
        }
        this.submits.push(call.action);
        const id = `job-${++this.seq}`;
        this.jobs.set(id, { id, prompt: String(call.params.Prompt), count: Number(call.params.Num ?? 1), finishAt: clock.now() + this.options.jobMs });
        this.maxRunning = Math.max(this.maxRunning, this.running());
        return { response: { JobId: id }, requestId };
      }
      case 'QueryHunyuanImageJob': {
        const job = this.jobs.get(String(call.params.JobId));
        if (!job) throw cloudError('FailedOperation.JobNotExist', 'no such job', requestId);
        if (clock.now() < job.finishAt) return { response: { JobStatusCode: '2', JobStatusMsg: '处理中' }, requestId };
        if (job.prompt.includes('refuse')) {
          return { response: { JobStatusCode: '4', JobErrorCode: 'FailedOperation.GenerateImageFailed', JobErrorMsg: 'refused' }, requestId };
        }
        if (job.prompt.includes('engine error')) {
          return { response: { JobStatusCode: '4', JobErrorCode: 'FailedOperation.EngineServerError', JobErrorMsg: 'engine error' }, requestId };
        }
        const expires = Math.ceil(job.finishAt + (this.options.resultTtlMs ?? 3_600_000));
        return {
          response: {
            JobStatusCode: '5',
            ResultImage: Array.from({ length: job.count }, (_, i) => `sim://${job.id}/${i}?expires=${expires}`),
            ResultDetails: Array.from({ length: job.count }, () => 'Success'),
            RevisedPrompt: [job.prompt],
          },
          requestId,
        };
      }
      case 'TextToImageLite': {
        if (this.running() >= 3) {
          this.limitErrors += 1;
          throw cloudError('RequestLimitExceeded.JobNumExceed', 'too many jobs', requestId);
        }
        this.submits.push(call.action);
        this.syncRunning += 1;
        this.maxRunning = Math.max(this.maxRunning, this.running());
        try {
          await clock.sleep(this.options.jobMs, options.signal);
        } finally {
          this.syncRunning -= 1;
        }
        return { response: { ResultImage: pngFor(`${requestId}/0`).toString('base64') }, requestId };
      }
      default:
        throw cloudError('InvalidAction', `unknown action ${call.action}`, requestId);
    }
  }
}

/** A tiny deterministic "PNG" (magic bytes + a hash of its name): enough for a saver to sniff. */
function pngFor(name: string): Buffer {
  return Buffer.concat([PNG_MAGIC, createHash('sha256').update(name).digest()]);
}

/** The catalog's provider with some documented facts changed, e.g. a lower rate limit for a test. */
export function withSpec(provider: Provider, patch: Partial<ModelSpec>): Provider {
  return { ...provider, spec: { ...provider.spec, ...patch } };
}

/**
 * Saves result images as files: writes a temporary file beside the target and renames it, so an
 * aborted or failed save leaves nothing behind. `delayMs` stretches each save on the given clock,
 * so tests can cancel in the middle of one.
 */
export class SimSaver implements ImageSaver {
  readonly saved: SaveImageRequest[] = [];
  private seq = 0;

  constructor(
    private readonly cloud: SimCloud,
    private readonly clock: Clock,
    private readonly delayMs = 0,
  ) {}

  async save(request: SaveImageRequest): Promise<SavedImage> {
    const bytes = request.image.kind === 'base64' ? Buffer.from(request.image.data, 'base64') : this.cloud.download(request.image.url);
    if (!bytes) throw cloudError('Client.HttpStatus403', 'result URL expired');
    await mkdir(request.directory, { recursive: true });
    const path = join(request.directory, `image-${++this.seq}.png`);
    const temp = `${path}.part`;
    await writeFile(temp, bytes.subarray(0, 4));
    try {
      await this.clock.sleep(this.delayMs, request.signal);
      await writeFile(temp, bytes);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    this.saved.push(request);
    return { path, bytes: bytes.length, format: 'png' };
  }
}
