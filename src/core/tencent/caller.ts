/** The seam between the job engine and the HTTP client: one signed API call, reply without the envelope. */
import type { ApiCall } from '../providers/types';

/**
 * Where a call goes. A job exists only on the endpoint and in the region it was submitted to, so
 * its queries are sent there (`CallOptions.target`), whatever the settings say by then: changed
 * since, or, in a window that has just reloaded, not handed to the extension yet.
 */
export interface CallTarget {
  /** The endpoint override (a URL); absent: each service's own domain. */
  readonly endpoint?: string;
  /** The region setting; absent: the service's default. */
  readonly region?: string;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's default per-request timeout. */
  readonly timeoutMs?: number;
  /** Send it there instead of where the caller's settings point (the target of an earlier submit). */
  readonly target?: CallTarget;
}

export interface CallReply {
  /** `Response` minus `RequestId`. Never contains `Error`: errors are thrown as StudioError. */
  readonly response: Record<string, unknown>;
  readonly requestId: string;
  /** Where the call was sent. */
  readonly target: CallTarget;
}

export interface CloudCaller {
  /** Throws StudioError: the cloud's `Response.Error`, or kind network/timeout/cancelled. */
  call(call: ApiCall, options?: CallOptions): Promise<CallReply>;
}
