/**
 * An error the simulated cloud answers in the `Response.Error` envelope (tencent-api.md §2.1).
 * Handlers throw it anywhere; the router turns it into the JSON reply the real cloud sends.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The envelope of a successful reply. */
export function successEnvelope(fields: Record<string, unknown>, requestId: string): string {
  return JSON.stringify({ Response: { ...fields, RequestId: requestId } });
}

/** The envelope of a failed reply: still HTTP 200, the error inside `Response`. */
export function errorEnvelope(code: string, message: string, requestId: string): string {
  return JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
}
