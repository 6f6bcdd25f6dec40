/**
 * The `{"Response": {...}}` envelope every API 3.0 reply comes in (tencent-api.md §2.1). API errors
 * arrive with HTTP 200 and are told apart only by `Response.Error`.
 */
import * as z from 'zod/mini';
import type { CallReply } from './caller';
import { cloudError, malformedReplyError } from './error-catalog';

const errorSchema = z.object({ Code: z.string().check(z.minLength(1)), Message: z.optional(z.string()) });

const envelopeSchema = z.object({
  Response: z.looseObject({
    RequestId: z.optional(z.string()),
    Error: z.optional(z.unknown()),
  }),
});

/** Turns a 200 reply body into the action's output, or throws the StudioError it stands for. */
export function parseEnvelope(body: string): Omit<CallReply, 'target'> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw malformedReplyError(`Reply is not JSON (${body.length} characters)`);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw malformedReplyError('Reply is not a {"Response": {...}} envelope with a string RequestId');
  }
  const { RequestId: requestId, Error: error, ...response } = envelope.data.Response;
  const id = requestId === undefined || requestId === '' ? undefined : requestId;

  // Optional fields may come back as null (tencent-api.md §2.1): a null Error is no error.
  if (error !== undefined && error !== null) {
    const parsed = errorSchema.safeParse(error);
    if (!parsed.success) {
      throw malformedReplyError('Reply has a "Response.Error" without a "Code"', id);
    }
    throw cloudError(parsed.data.Code, parsed.data.Message ?? '', id);
  }
  if (id === undefined) {
    throw malformedReplyError('Reply has no "Response.RequestId"');
  }
  return { response, requestId: id };
}
