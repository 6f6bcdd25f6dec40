/**
 * TC3-HMAC-SHA256, the request signature of Tencent Cloud API 3.0 (tencent-api.md §1.3–§1.6).
 * Pure functions over the exact body bytes that will be sent: signing a re-serialised copy of the
 * JSON would give a different hash whenever key order or escaping differ.
 */
import { createHash, createHmac } from 'node:crypto';

/** A SecretId/SecretKey pair, plus the session token that comes with temporary (STS) keys. */
export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  /** Sent as `X-TC-Token`; it is not part of the signature. */
  readonly sessionToken?: string;
}

export const SIGNATURE_ALGORITHM = 'TC3-HMAC-SHA256';

export interface SignInput {
  readonly secretId: string;
  readonly secretKey: string;
  /** Service name for the credential scope (`hunyuan`, `aiart`, `mps`). */
  readonly service: string;
  /** Host name as signed: no port (the official SDK signs `URL.hostname`). */
  readonly host: string;
  /** Unix seconds; also sent as `X-TC-Timestamp`. */
  readonly timestamp: number;
  /** The exact body bytes (a string is taken as UTF-8). */
  readonly body: string | Uint8Array;
  /** Must be byte-identical to the `Content-Type` header sent. */
  readonly contentType: string;
  readonly method: 'POST';
  /**
   * Headers signed besides content-type and host (e.g. `{ 'X-TC-Action': 'DescribeInstances' }`,
   * as Tencent's newer signing demos do). The official SDKs sign none; a verifier of such
   * requests needs them to recompute the signature.
   */
  readonly extraSignedHeaders?: Readonly<Record<string, string>>;
}

export interface SignResult {
  /** The `Authorization` header value. */
  readonly authorization: string;
  /** Lower-case hex. */
  readonly signature: string;
  /** `<UTC date>/<service>/tc3_request`. */
  readonly credentialScope: string;
  /** UTC date of the timestamp, `YYYY-MM-DD`. */
  readonly date: string;
  /** `content-type;host` (plus any extra signed header names, sorted). */
  readonly signedHeaders: string;
  readonly hashedPayload: string;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** UTC calendar date of a Unix timestamp: 00:30 in Beijing is still the previous UTC day. */
export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** The signing-key chain of §1.5; each step keys the next with the previous step's raw bytes. */
export function deriveSigningKey(secretKey: string, date: string, service: string): { kDate: Buffer; kService: Buffer; kSigning: Buffer } {
  const kDate = hmac(`TC3${secretKey}`, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, 'tc3_request');
  return { kDate, kService, kSigning };
}

export function signRequest(input: SignInput): SignResult {
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp < 0) {
    throw new RangeError('TC3 timestamp must be a non-negative integer number of seconds');
  }
  // Names and values lower-cased and trimmed, sorted by name (§1.3).
  const headers = new Map<string, string>([
    ['content-type', input.contentType],
    ['host', input.host],
  ]);
  for (const [name, value] of Object.entries(input.extraSignedHeaders ?? {})) {
    headers.set(name.trim().toLowerCase(), value);
  }
  const names = [...headers.keys()].sort();
  const canonicalHeaders = names.map((name) => `${name}:${headers.get(name)!.trim().toLowerCase()}\n`).join('');
  const signedHeaders = names.join(';');
  const hashedPayload = sha256Hex(input.body);
  const canonicalRequest = [input.method, '/', '', canonicalHeaders, signedHeaders, hashedPayload].join('\n');

  const date = utcDate(input.timestamp);
  const credentialScope = `${date}/${input.service}/tc3_request`;
  const stringToSign = [SIGNATURE_ALGORITHM, String(input.timestamp), credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const { kSigning } = deriveSigningKey(input.secretKey, date, input.service);
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');

  const authorization = `${SIGNATURE_ALGORITHM} Credential=${input.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { authorization, signature, credentialScope, date, signedHeaders, hashedPayload, canonicalRequest, stringToSign };
}
