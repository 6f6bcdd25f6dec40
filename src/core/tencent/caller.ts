/** The seam between the job engine and the HTTP client: one signed API call, reply without the envelope. */
import type { ApiCall } from '../providers/types';

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's default per-request timeout. */
  readonly timeoutMs?: number;
}

export interface CallReply {
  /** `Response` minus `RequestId`. Never contains `Error`: errors are thrown as StudioError. */
  readonly response: Record<string, unknown>;
  readonly requestId: string;
}

export interface CloudCaller {
  /** Throws StudioError: the cloud's `Response.Error`, or kind network/timeout/cancelled. */
  call(call: ApiCall, options?: CallOptions): Promise<CallReply>;
}
