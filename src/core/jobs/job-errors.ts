/** Failures the job engine itself detects (not the cloud, not the transport), as StudioErrors. */
import { StudioError } from '../tencent/errors';

/** The job finished, but its result URLs stopped working at `expiredAt` (epoch ms): downloading would fail. */
export function resultExpiredError(jobId: string, expiredAt: number): StudioError {
  const when = new Date(expiredAt).toISOString();
  return new StudioError({
    kind: 'timeout',
    code: 'Client.ResultExpired',
    message: `The results of job ${jobId} expired at ${when}`,
    jobId,
    retryable: false,
    explanation: {
      en: `Job ${jobId} finished, but the cloud keeps its images only for a limited time: their download links expired at ${when}.`,
      zh: `任务 ${jobId} 已完成，但云端只在有限时间内保留结果：下载链接已于 ${when} 过期。`,
    },
    nextStep: {
      en: 'Generate the image again.',
      zh: '请重新生成图片。',
    },
  });
}

/**
 * Checking a submitted job failed for good (after the retries). The cause speaks of the status
 * query ("the request was not sent"); the user must also hear that the job itself exists on the
 * cloud and may still finish, and be billed, so it is named with where to find it.
 */
export function statusCheckFailedError(cause: StudioError, jobId: string): StudioError {
  return new StudioError({
    kind: cause.kind,
    code: cause.code,
    message: `Could not check job ${jobId}: ${cause.message}`,
    requestId: cause.requestId,
    jobId,
    retryable: false,
    explanation: {
      en: `Job ${jobId} was created on Tencent Cloud, but checking on it failed: ${cause.explanation.en}`,
      zh: `任务 ${jobId} 已在腾讯云创建，但查询其状态失败：${cause.explanation.zh}`,
    },
    nextStep: {
      en: `${cause.nextStep.en} The job may still finish on the cloud and be billed: look for job ${jobId} in the Tencent Cloud console before generating again.`,
      zh: `${cause.nextStep.zh}该任务可能仍会在云端完成并计费：重新生成前，请先在腾讯云控制台查看任务 ${jobId}。`,
    },
    mayHaveReachedServer: true,
    cause,
  });
}

/** The job reported success but returned no usable image (every per-image detail was an error). */
export function noResultImagesError(details: readonly string[], requestId: string, jobId?: string): StudioError {
  return new StudioError({
    kind: 'server',
    code: 'Client.NoResultImages',
    message: `No usable result image${details.length > 0 ? `: ${details.join('; ')}` : ''}`,
    requestId,
    jobId,
    retryable: false,
    explanation: {
      en: 'The cloud finished the task but returned no usable image.',
      zh: '云端已完成任务，但没有返回可用的图片。',
    },
    nextStep: {
      en: 'Try again, perhaps with a different prompt.',
      zh: '请重试，或换一个提示词。',
    },
  });
}

/** A bug or an unexpected reply shape: still shown as one StudioError, with the cause kept for the log. */
export function unexpectedError(cause: unknown): StudioError {
  return new StudioError({
    kind: 'server',
    code: 'Client.Unexpected',
    message: cause instanceof Error ? cause.message : String(cause),
    retryable: false,
    explanation: {
      en: 'Something unexpected went wrong while running the task.',
      zh: '运行任务时发生意外错误。',
    },
    nextStep: {
      en: 'Try again; if it keeps happening, report it with the log.',
      zh: '请重试；如果反复出现，请附上日志反馈。',
    },
    cause,
  });
}

/**
 * A job the cloud ended as failed. Its code's next step may promise an automatic retry (an engine
 * error is retryable as a call), but a failed job is final: nothing is resubmitted, since each
 * submit is a new billed job. So the user is told to generate again rather than to wait.
 */
export function jobFailedError(error: StudioError): StudioError {
  if (!error.retryable) return error;
  return new StudioError({
    kind: error.kind,
    code: error.code,
    message: error.message,
    requestId: error.requestId,
    jobId: error.jobId,
    retryable: false,
    explanation: error.explanation,
    nextStep: {
      en: 'The job is not submitted again automatically: generate again; if it keeps failing, try again in a few minutes.',
      zh: '任务不会自动重新提交：请重新生成；如果持续失败，请过几分钟再试。',
    },
  });
}
