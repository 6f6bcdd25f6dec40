/**
 * Server-side TC3-HMAC-SHA256 verification (tencent-api.md §1), written independently of the
 * client in src/ so that a mistake in one cannot hide the same mistake in the other.
 *
 * The server recomputes the signature over the exact body bytes it received, with the headers
 * the client listed in SignedHeaders, and answers the real AuthFailure.* codes.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './api-error';

export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  /** When set, every request must carry `X-TC-Token` equal to it. */
  readonly sessionToken?: string;
}

export interface ReceivedRequest {
  readonly method: string;
  /** The query string without `?` ('' for POST). */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface AuthorizationParts {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** The server tolerates this much clock difference (tencent-api.md §1.2). */
export const MAX_SKEW_SECONDS = 300;

// Exactly the shape of §1.6: one space after the algorithm, ", " between the three parts.
const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request, SignedHeaders=([a-z0-9-]+(?:;[a-z0-9-]+)*), Signature=([0-9a-f]{64})$/;

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Reads the Authorization header; malformed or missing -> AuthFailure.InvalidAuthorization. */
export function parseAuthorization(headers: IncomingHttpHeaders): AuthorizationParts {
  const raw = headerValue(headers, 'authorization');
  const match = raw === undefined ? null : AUTHORIZATION.exec(raw);
  if (!match) {
    throw new ApiError(
      'AuthFailure.InvalidAuthorization',
      'Authorization header is missing or malformed; expected `TC3-HMAC-SHA256 Credential=<SecretId>/<Date>/<service>/tc3_request, SignedHeaders=<headers>, Signature=<hex>`.',
    );
  }
  const [, secretId, date, service, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
  return { secretId, date, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** `YYYY-MM-DD` of a Unix timestamp, in UTC (the credential-scope date, §1.4). */
export function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The TC3 signature for one canonical request (§1.3–§1.5). */
export function tc3Signature(input: {
  secretKey: string;
  method: string;
  query: string;
  canonicalHeaders: string;
  signedHeaders: string;
  payloadHash: string;
  timestamp: string;
  date: string;
  service: string;
}): string {
  const canonicalRequest = [input.method, '/', input.query, input.canonicalHeaders, input.signedHeaders, input.payloadHash].join('\n');
  const scope = `${input.date}/${input.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', input.timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`TC3${input.secretKey}`, input.date);
  const kService = hmac(kDate, input.service);
  const kSigning = hmac(kService, 'tc3_request');
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}

/**
 * The values the host header may have been signed with: as received, and without its port
 * (the official SDK sends `Host: name:port` but signs `URL.hostname`).
 */
function hostCandidates(host: string): string[] {
  const withoutPort = host.replace(/:\d+$/, '');
  return withoutPort === host ? [host] : [host, withoutPort];
}

function canonicalHeaders(headers: IncomingHttpHeaders, names: readonly string[], host: string): string {
  return names
    .map((name) => {
      const value = name === 'host' ? host : (headerValue(headers, name) ?? '');
      return `${name}:${value.trim().toLowerCase()}\n`;
    })
    .join('');
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Checks everything about who sent the request, in the order the codes are documented:
 * timestamp skew, scope date, SecretId, signature, session token. Returns normally when the
 * request is authentic; throws ApiError with the real AuthFailure.* code otherwise.
 */
export function verifyRequest(request: ReceivedRequest, auth: AuthorizationParts, credentials: Credentials, nowMs: number): void {
  const timestampText = headerValue(request.headers, 'x-tc-timestamp');
  if (timestampText === undefined) {
    throw new ApiError('MissingParameter', 'The request is missing a required parameter `X-TC-Timestamp`.');
  }
  if (!/^\d{1,12}$/.test(timestampText.trim())) {
    throw new ApiError('InvalidParameter', 'The value of `X-TC-Timestamp` must be an integer Unix time in seconds.');
  }
  const timestamp = Number(timestampText.trim());
  const nowSeconds = Math.floor(nowMs / 1000);
  if (Math.abs(timestamp - nowSeconds) > MAX_SKEW_SECONDS) {
    throw new ApiError(
      'AuthFailure.SignatureExpire',
      `Signature expired. Timestamp ${timestamp} differs from the server time ${nowSeconds} by more than ${MAX_SKEW_SECONDS} seconds; check the local clock.`,
    );
  }
  if (auth.date !== utcDate(timestamp)) {
    throw new ApiError(
      'AuthFailure.SignatureFailure',
      `The credential scope date ${auth.date} is not the UTC date of X-TC-Timestamp (${utcDate(timestamp)}).`,
    );
  }
  if (auth.secretId !== credentials.secretId) {
    throw new ApiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
  }
  if (!auth.signedHeaders.includes('content-type') || !auth.signedHeaders.includes('host')) {
    throw new ApiError('AuthFailure.SignatureFailure', 'SignedHeaders must include content-type and host.');
  }
  const unsignedPayload = headerValue(request.headers, 'x-tc-content-sha256') === 'UNSIGNED-PAYLOAD';
  const payloadHash = sha256Hex(unsignedPayload ? 'UNSIGNED-PAYLOAD' : request.body);
  const host = headerValue(request.headers, 'host') ?? '';
  const matches = hostCandidates(host).some((candidate) =>
    sameHex(
      auth.signature,
      tc3Signature({
        secretKey: credentials.secretKey,
        method: request.method,
        query: request.query,
        canonicalHeaders: canonicalHeaders(request.headers, auth.signedHeaders, candidate),
        signedHeaders: auth.signedHeaders.join(';'),
        payloadHash,
        timestamp: timestampText.trim(),
        date: auth.date,
        service: auth.service,
      }),
    ),
  );
  if (!matches) {
    throw new ApiError(
      'AuthFailure.SignatureFailure',
      'The provided credentials could not be validated. Please check your signature is correct.',
    );
  }
  const token = headerValue(request.headers, 'x-tc-token');
  if (credentials.sessionToken === undefined ? token !== undefined : token !== credentials.sessionToken) {
    throw new ApiError(
      'AuthFailure.TokenFailure',
      credentials.sessionToken === undefined
        ? 'A session token was sent, but these credentials are permanent keys; send X-TC-Token only with temporary credentials.'
        : 'The session token (X-TC-Token) is missing, invalid or expired.',
    );
  }
}
