/**
 * Reading the cloud's replies (already without the envelope) into GenerationResult / JobStatus.
 * Optional output fields may come back as `null` ("此字段可能返回 null", tencent-api.md §2.1),
 * so every optional field accepts null and null is treated as absent. A reply that cannot be read
 * (wrong types, a missing id, an unknown status) throws malformedReplyError.
 */
import * as z from 'zod/mini';
import { cloudError, malformedReplyError } from '../tencent/error-catalog';
import type { GenerationResult, JobStatus, ResultImage } from './types';

const optionalString = z.nullish(z.string());
const optionalStrings = z.nullish(z.array(z.nullable(z.string())));

function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

function parseOrThrow<T>(schema: z.ZodMiniType<T>, value: unknown, what: string, requestId?: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw malformedReplyError(`${what}: ${describeIssues(parsed.error)}`, requestId);
  return parsed.data;
}

/** `RspImgType` decides what ResultImage holds; we ask for base64 but tell the two apart by content. */
function resultImageOf(value: string): ResultImage {
  if (/^https?:\/\//i.test(value)) return { kind: 'url', url: value };
  // Some services prefix a data URL; the saver wants the bare base64.
  return { kind: 'base64', data: value.replace(/^data:[^;,]*;base64,/i, '') };
}

const syncReply = z.object({
  ResultImage: optionalString,
  Seed: z.nullish(z.number()),
});

/** Sync actions (TextToImageLite, TextToImageRapid, ImageToImage): one `ResultImage` and maybe a `Seed`. */
export function parseSyncReply(action: string, response: Record<string, unknown>, requestId: string, now: number, urlLifetimeMs: number): GenerationResult {
  const reply = parseOrThrow(syncReply, response, `${action} reply`, requestId);
  if (!reply.ResultImage) throw malformedReplyError(`${action} reply has no ResultImage`, requestId);
  const image = resultImageOf(reply.ResultImage);
  return {
    images: [image],
    requestId,
    ...(reply.Seed != null && { seed: reply.Seed }),
    // Inline base64 never expires; only a URL result carries the documented lifetime.
    ...(image.kind === 'url' && { expiresAt: now + urlLifetimeMs }),
  };
}

/** The id from a submit reply: `JobId` (hunyuan, aiart) or `TaskId` (mps). */
export function parseJobId(action: string, field: 'JobId' | 'TaskId', response: Record<string, unknown>): string {
  const reply = parseOrThrow(z.object({ [field]: optionalString }), response, `${action} reply`);
  const id = reply[field];
  if (!id) throw malformedReplyError(`${action} reply has no ${field}`);
  return id;
}

const statusCodeReply = z.object({
  // Documented as a string; a number is accepted too rather than failing a job that finished.
  JobStatusCode: z.nullish(z.union([z.string(), z.number()])),
  JobStatusMsg: optionalString,
  JobErrorCode: optionalString,
  JobErrorMsg: optionalString,
  ResultImage: optionalStrings,
  ResultDetails: optionalStrings,
  RevisedPrompt: optionalStrings,
});

/** A dotted Tencent code such as `FailedOperation.GenerateImageFailed`, as opposed to free text. */
const DOTTED_CODE = /^[A-Z][A-Za-z]*(\.[A-Za-z0-9]+)+$/;

/**
 * hunyuan QueryHunyuanImageJob and aiart QueryTextToImageJob/QueryTextToImageProJob share one shape
 * (tencent-api.md §3.3, §4.4): JobStatusCode "1" queued, "2" running, "4" failed, "5" done.
 */
export function parseStatusCodeQuery(
  action: string,
  response: Record<string, unknown>,
  requestId: string,
  jobId: string,
  now: number,
  urlLifetimeMs: number,
): JobStatus {
  const reply = parseOrThrow(statusCodeReply, response, `${action} reply`, requestId);
  const code = reply.JobStatusCode == null ? undefined : String(reply.JobStatusCode);
  switch (code) {
    case '1':
      return { state: 'queued', requestId };
    case '2':
      return { state: 'running', requestId };
    case '4':
      return {
        state: 'failed',
        error: cloudError(reply.JobErrorCode || 'FailedOperation', reply.JobErrorMsg || reply.JobStatusMsg || 'The job failed.', requestId, jobId),
      };
    case '5':
      return doneJob(reply, requestId, jobId, now, urlLifetimeMs);
    default:
      throw malformedReplyError(`${action} reply has an unknown JobStatusCode ${JSON.stringify(code ?? null)}`, requestId);
  }
}

/**
 * A "5" is only a success when at least one image came back with a `Success` detail: the per-image
 * `ResultDetails` can report a failure (e.g. a refused image) while the job itself is done.
 */
function doneJob(reply: z.infer<typeof statusCodeReply>, requestId: string, jobId: string, now: number, urlLifetimeMs: number): JobStatus {
  const urls = reply.ResultImage ?? [];
  const details = reply.ResultDetails ?? [];
  const usable: { url: string; detail?: string }[] = [];
  urls.forEach((url, i) => {
    const detail = details[i] ?? undefined;
    if (url && (detail === undefined || detail === 'Success')) usable.push({ url, ...(detail !== undefined && { detail }) });
  });
  if (usable.length === 0) {
    const failures = details.filter((d): d is string => !!d && d !== 'Success');
    const cloudCode = failures.find((d) => DOTTED_CODE.test(d));
    const why =
      urls.filter(Boolean).length === 0
        ? `The job finished but returned no image${failures.length ? ` (ResultDetails: ${failures.join('; ')})` : ''}.`
        : `The job finished but no image succeeded (ResultDetails: ${failures.join('; ')}).`;
    return { state: 'failed', error: cloudError(cloudCode ?? 'Client.NoResultImage', why, requestId, jobId) };
  }
  const revisedPrompt = reply.RevisedPrompt?.find((p): p is string => !!p);
  return {
    state: 'done',
    result: {
      images: usable.map(({ url }) => ({ kind: 'url', url })),
      requestId,
      jobId,
      expiresAt: now + urlLifetimeMs,
      ...(revisedPrompt !== undefined && { revisedPrompt }),
      ...(usable.some((u) => u.detail !== undefined) && { details: usable.map((u) => u.detail ?? 'Success') }),
    },
  };
}

const mpsQueryReply = z.object({
  Status: optionalString,
  ImageUrls: optionalStrings,
  Message: optionalString,
});

/** MPS DescribeAigcImageTask (tencent-api.md §5.2): WAIT, RUN, FAIL, DONE. */
export function parseMpsQuery(action: string, response: Record<string, unknown>, requestId: string, taskId: string, now: number, urlLifetimeMs: number): JobStatus {
  const reply = parseOrThrow(mpsQueryReply, response, `${action} reply`, requestId);
  switch (reply.Status) {
    case 'WAIT':
      return { state: 'queued', requestId };
    case 'RUN':
      return { state: 'running', requestId };
    case 'FAIL':
      // MPS gives only a message for a failed task, no code of its own.
      return { state: 'failed', error: cloudError('FailedOperation', reply.Message || 'The task failed.', requestId, taskId) };
    case 'DONE': {
      const urls = (reply.ImageUrls ?? []).filter((u): u is string => !!u);
      if (urls.length === 0) {
        return { state: 'failed', error: cloudError('Client.NoResultImage', 'The task finished but returned no image URL.', requestId, taskId) };
      }
      return { state: 'done', result: { images: urls.map((url) => ({ kind: 'url', url })), requestId, jobId: taskId, expiresAt: now + urlLifetimeMs } };
    }
    default:
      throw malformedReplyError(`${action} reply has an unknown Status ${JSON.stringify(reply.Status ?? null)}`, requestId);
  }
}
