/**
 * The one error type the engine throws. Every failure a user can meet (a cloud `Response.Error`,
 * a local validation failure, a network fault, a cancellation) becomes a StudioError, so the
 * UI renders one shape: what happened and what to do next, in English and Simplified Chinese.
 */
export type ErrorKind =
  | 'auth'
  | 'permission'
  | 'billing'
  | 'moderation'
  | 'invalid'
  | 'rateLimit'
  | 'concurrency'
  | 'server'
  | 'network'
  | 'timeout'
  | 'cancelled';

export interface Localized {
  readonly en: string;
  readonly zh: string;
}

export interface StudioErrorInit {
  kind: ErrorKind;
  /** The cloud's dotted code (`AuthFailure.SignatureFailure`) or one of ours (`Client.PromptTooLong`). */
  code: string;
  /** The raw message (the cloud's `Message`, or ours). Never contains secrets. */
  message: string;
  requestId?: string;
  jobId?: string;
  /** True when repeating the same request later is safe and may succeed. */
  retryable: boolean;
  /** What happened, for a person. */
  explanation: Localized;
  /** What to do about it. */
  nextStep: Localized;
  /**
   * For network failures: whether the request may have reached the server. A submit that may have
   * reached the cloud must never be repeated blindly (no idempotency token: it could bill twice).
   */
  mayHaveReachedServer?: boolean;
  cause?: unknown;
}

export class StudioError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly requestId?: string;
  readonly jobId?: string;
  readonly retryable: boolean;
  readonly explanation: Localized;
  readonly nextStep: Localized;
  readonly mayHaveReachedServer: boolean;

  constructor(init: StudioErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'StudioError';
    this.kind = init.kind;
    this.code = init.code;
    this.requestId = init.requestId;
    this.jobId = init.jobId;
    this.retryable = init.retryable;
    this.explanation = init.explanation;
    this.nextStep = init.nextStep;
    this.mayHaveReachedServer = init.mayHaveReachedServer ?? false;
  }

  /** One line for a notification or the log: explanation, next step, and the ids support asks for. */
  describe(lang: 'en' | 'zh' = 'en'): string {
    const ids = [this.requestId && `RequestId ${this.requestId}`, this.jobId && `JobId ${this.jobId}`]
      .filter(Boolean)
      .join(', ');
    return `${this.explanation[lang]} ${this.nextStep[lang]}${ids ? ` (${this.code}; ${ids})` : ` (${this.code})`}`;
  }
}
