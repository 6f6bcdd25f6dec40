/**
 * The steps every generating action shares: content review, the concurrency pool, counting the
 * billable call, then either starting an async job or doing a sync call's work in place.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { ApiError } from '../api-error';
import type { ImageOrder, Job, JobFailure } from '../jobs';
import type { CloudContext, ServiceName } from './context';

/** A seed as the cloud picks one when none is fixed. */
export function randomSeed(): number {
  return randomInt(1, 2 ** 31);
}

/** Answers the moderation refusal when the `moderation-text` fault is on (each service's own code). */
function reviewText(ctx: CloudContext, service: ServiceName): void {
  if (!ctx.faults().moderationText) return;
  if (service === 'mps') throw new ApiError('InvalidParameter.ViolationContent', 'The input content failed the content review.');
  throw new ApiError('OperationDenied.TextIllegalDetected', 'The input text failed the content review; change the prompt.');
}

/** How the work will end, from the fault switches at submit time. */
function plannedFailure(ctx: CloudContext, service: ServiceName): JobFailure | undefined {
  const faults = ctx.faults();
  if (faults.moderationImage) {
    return { code: 'FailedOperation.GenerateImageFailed', message: 'The generated image failed the content review; try another prompt or seed.' };
  }
  if (faults.jobFailure) {
    return service === 'aiart'
      ? { code: 'FailedOperation.InnerError', message: 'Internal service error, please retry.' }
      : { code: 'FailedOperation.EngineServerError', message: 'The engine failed to generate the image, please retry later.' };
  }
  return undefined;
}

/** The pictures as the fault switches at submit time have them drawn. */
function drawnAs(ctx: CloudContext, images: readonly ImageOrder[]): readonly ImageOrder[] {
  return ctx.faults().storedPng ? images.map((image) => ({ ...image, stored: true })) : images;
}

function acquire(ctx: CloudContext, pool: string): void {
  if (ctx.pools.tryAcquire(pool)) return;
  ctx.countLimitError();
  throw new ApiError(
    'RequestLimitExceeded.JobNumExceed',
    `Too many jobs are running (limit ${ctx.pools.size(pool)}); wait for one to finish and try again.`,
  );
}

export interface WorkOrder {
  readonly service: ServiceName;
  readonly action: string;
  readonly pool: string;
  readonly images: readonly ImageOrder[];
}

function newJobId(service: ServiceName): string {
  if (service === 'mps') return `4-AigcImage-${randomBytes(16).toString('hex')}`;
  // Shape of the documented example: <uin>-<unix time>-<uuid>-0.
  return `1300000000-${Math.floor(Date.now() / 1000)}-${randomUUID()}-0`;
}

/** Submits an async job; returns its id. */
export function submitJob(ctx: CloudContext, order: WorkOrder, revisedPrompts: readonly string[] = []): string {
  reviewText(ctx, order.service);
  acquire(ctx, order.pool);
  ctx.countSubmit(order.action);
  const id = newJobId(order.service);
  ctx.jobs.start(id, {
    family: order.action,
    pool: order.pool,
    images: drawnAs(ctx, order.images),
    failure: plannedFailure(ctx, order.service),
    resultTtlSeconds: ctx.resultTtlSeconds(order.service),
    revisedPrompts,
  });
  return id;
}

/** A sync call: holds a pool slot for the work time, then returns one image as base64 or a URL. */
export async function runSync(ctx: CloudContext, order: WorkOrder, rspImgType: 'base64' | 'url'): Promise<string> {
  reviewText(ctx, order.service);
  acquire(ctx, order.pool);
  ctx.countSubmit(order.action);
  const failure = plannedFailure(ctx, order.service);
  let images: Buffer[];
  try {
    images = await ctx.jobs.work(failure ? [] : drawnAs(ctx, order.images));
  } finally {
    ctx.pools.release(order.pool);
  }
  if (failure) throw new ApiError(failure.code, failure.message);
  if (rspImgType === 'url') return ctx.jobs.publish(images, order.images, ctx.resultTtlSeconds(order.service))[0]!;
  return images[0]!.toString('base64');
}

/** The job a query names, if it exists and belongs to this query's submit action. */
export function findJob(ctx: CloudContext, jobId: string, family: string): Job | undefined {
  const job = ctx.jobs.get(jobId);
  return job && job.spec.family === family ? job : undefined;
}

const STATUS = {
  queued: ['1', '排队中'],
  running: ['2', '处理中'],
  failed: ['4', '处理失败'],
  done: ['5', '处理完成'],
} as const;

/** hunyuan / aiart Query*Job reply fields (tencent-api.md §3.3, §4.4). */
export function jobStatusFields(job: Job): Record<string, unknown> {
  const [code, message] = STATUS[job.state];
  return {
    JobStatusCode: code,
    JobStatusMsg: message,
    JobErrorCode: job.failure?.code ?? '',
    JobErrorMsg: job.failure?.message ?? '',
    ResultImage: job.state === 'done' ? job.urls : [],
    ResultDetails: job.state === 'done' ? job.urls.map(() => 'Success') : [],
    RevisedPrompt: job.state === 'done' ? job.spec.revisedPrompts : [],
  };
}

/** What Revise=1 does to a prompt, visibly (the real service rewrites it with an LLM). */
export function revisePrompt(prompt: string): string {
  return `${prompt}，画面精致，细节丰富，光影自然`;
}
