/**
 * STUB — being replaced by the error-catalog work. The signatures below are the contract;
 * bodies here are placeholders only.
 */
import { StudioError } from './errors';

const generic = { en: 'The request failed.', zh: '请求失败。' };
const retry = { en: 'Try again later.', zh: '请稍后重试。' };

/** A cloud `Response.Error` (or a job's `JobErrorCode`/MPS `FAIL` message) as a StudioError. */
export function cloudError(code: string, message: string, requestId?: string, jobId?: string): StudioError {
  return new StudioError({ kind: 'server', code, message, requestId, jobId, retryable: false, explanation: generic, nextStep: retry });
}

/** A transport failure. `mayHaveReachedServer` decides whether a submit may be repeated. */
export function networkError(cause: unknown, mayHaveReachedServer: boolean): StudioError {
  return new StudioError({ kind: 'network', code: 'Client.NetworkError', message: String(cause), retryable: !mayHaveReachedServer, explanation: generic, nextStep: retry, mayHaveReachedServer, cause });
}

export function timeoutError(timeoutMs: number, mayHaveReachedServer: boolean): StudioError {
  return new StudioError({ kind: 'timeout', code: 'Client.Timeout', message: `No reply within ${timeoutMs} ms`, retryable: !mayHaveReachedServer, explanation: generic, nextStep: retry, mayHaveReachedServer });
}

export function cancelledError(): StudioError {
  return new StudioError({ kind: 'cancelled', code: 'Client.Cancelled', message: 'Cancelled', retryable: false, explanation: generic, nextStep: retry });
}

/** A non-200 HTTP status (the SDK treats these as transport errors; the body is not an envelope). */
export function httpStatusError(status: number, requestId?: string): StudioError {
  return new StudioError({ kind: 'server', code: `Client.HttpStatus${status}`, message: `HTTP ${status}`, requestId, retryable: status >= 500, explanation: generic, nextStep: retry, mayHaveReachedServer: true });
}

/** A 200 reply that is not a valid envelope (malformed JSON, missing RequestId, wrong field types). */
export function malformedReplyError(detail: string, requestId?: string): StudioError {
  return new StudioError({ kind: 'server', code: 'Client.MalformedReply', message: detail, requestId, retryable: false, explanation: generic, nextStep: retry, mayHaveReachedServer: true });
}

/**
 * A local check failed before anything was sent (prompt too long, wrong size, bad image...).
 * `code` is ours (`Client.PromptTooLong`); `explanation`/`nextStep` name the limit.
 */
export function validationError(code: string, explanation: { en: string; zh: string }, nextStep: { en: string; zh: string }): StudioError {
  return new StudioError({ kind: 'invalid', code, message: explanation.en, retryable: false, explanation, nextStep });
}

/** No credentials configured (nothing was sent). */
export function missingCredentialsError(): StudioError {
  return new StudioError({ kind: 'auth', code: 'Client.MissingCredentials', message: 'No credentials', retryable: false, explanation: generic, nextStep: retry });
}
