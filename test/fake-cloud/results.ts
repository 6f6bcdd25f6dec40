/**
 * Result images and the short-lived URLs that serve them, like COS presigned URLs:
 * `http://127.0.0.1:PORT/results/<id>.<png|jpg>?q-sign-time=<start>;<end>`. After `end` the URL
 * answers 403 with COS's XML AccessDenied body. Kept in memory, oldest dropped first.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultState } from './faults';

export type ResultFormat = 'png' | 'jpeg';

interface StoredResult {
  readonly bytes: Buffer;
  readonly format: ResultFormat;
  /** The q-sign-time value as issued, `<start>;<end>` in Unix seconds. */
  readonly signTime: string;
  readonly expiresAtMs: number;
}

const MAX_ENTRIES = 500;
const MAX_TOTAL_BYTES = 512 * 1024 * 1024;
/** oversized-download sends this much: far beyond any image the cloud makes. */
const OVERSIZED_BYTES = 64 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024);

const CONTENT_TYPES: Readonly<Record<ResultFormat, string>> = { png: 'image/png', jpeg: 'image/jpeg' };
const EXTENSIONS: Readonly<Record<ResultFormat, string>> = { png: 'png', jpeg: 'jpg' };

function cosError(res: ServerResponse, status: number, code: string, message: string, resource: string): void {
  const body =
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>${code}</Code>\n\t<Message>${message}</Message>\n` +
    `\t<Resource>${resource}</Resource>\n\t<RequestId>${randomBytes(24).toString('base64url')}</RequestId>\n` +
    `\t<TraceId>${randomUUID()}</TraceId>\n</Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export class ResultStore {
  private readonly entries = new Map<string, StoredResult>();
  private totalBytes = 0;
  /** `http://127.0.0.1:PORT`, known once the server listens. */
  baseUrl = '';

  /** Stores an image and returns its URL, valid for `ttlSeconds` from `nowMs`. */
  put(bytes: Buffer, format: ResultFormat, ttlSeconds: number, nowMs: number): string {
    const id = randomBytes(16).toString('hex');
    const start = Math.floor(nowMs / 1000);
    // Like COS: the URL works until the end of its signature, which is in whole seconds.
    const endSeconds = Math.ceil((nowMs + ttlSeconds * 1000) / 1000);
    const expiresAtMs = endSeconds * 1000;
    const signTime = `${start};${endSeconds}`;
    this.entries.set(id, { bytes, format, signTime, expiresAtMs });
    this.totalBytes += bytes.length;
    for (const [oldId, old] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.totalBytes <= MAX_TOTAL_BYTES) break;
      this.entries.delete(oldId);
      this.totalBytes -= old.bytes.length;
    }
    return `${this.baseUrl}/results/${id}.${EXTENSIONS[format]}?q-sign-time=${signTime}`;
  }

  private find(pathname: string, signTime: string | null): { entry?: StoredResult; id?: string } {
    const match = /^\/results\/([0-9a-f]{32})\.(png|jpg)$/.exec(pathname);
    if (!match) return {};
    const entry = this.entries.get(match[1]!);
    if (!entry || EXTENSIONS[entry.format] !== match[2] || entry.signTime !== signTime) return { id: match[1]! };
    return { entry, id: match[1]! };
  }

  /** The bytes behind one of our own live URLs (reference images pointing back at results). */
  lookup(url: string, nowMs: number): Buffer | undefined {
    if (!this.baseUrl || !url.startsWith(`${this.baseUrl}/results/`)) return undefined;
    const parsed = new URL(url);
    const { entry } = this.find(parsed.pathname, parsed.searchParams.get('q-sign-time'));
    return entry && nowMs < entry.expiresAtMs ? entry.bytes : undefined;
  }

  /** Answers GET /results/...: the image, COS-style XML errors, or the download fault switched on. */
  serve(req: IncomingMessage, res: ServerResponse, faults: FaultState, nowMs: number): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { entry, id } = this.find(url.pathname, url.searchParams.get('q-sign-time'));
    if (!entry) {
      if (id && this.entries.has(id)) {
        cosError(res, 403, 'SignatureDoesNotMatch', 'The calculated signature does not match the one provided', url.pathname);
      } else {
        cosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', url.pathname);
      }
      return;
    }
    if (nowMs >= entry.expiresAtMs) {
      cosError(res, 403, 'AccessDenied', 'Request has expired', url.pathname);
      return;
    }
    if (faults.redirectDownload !== undefined) {
      const hop = Number(url.searchParams.get('hop') ?? '0');
      if (faults.redirectDownload === 'file' || hop < faults.redirectDownload) {
        const next = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
        next.searchParams.set('hop', String(hop + 1));
        res.writeHead(302, { Location: faults.redirectDownload === 'file' ? 'file:///etc/hostname' : next.href, 'Content-Length': 0 });
        res.end();
        return;
      }
    }
    if (faults.wrongContentType) {
      const page = '<!DOCTYPE html><html><head><title>Login required</title></head><body><h1>Please sign in</h1></body></html>';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) });
      res.end(page);
      return;
    }
    const contentType = CONTENT_TYPES[entry.format];
    if (faults.nonImageDownload) {
      // Right length, right label, wrong bytes: only the magic bytes can tell.
      const noise = randomBytes(entry.bytes.length);
      noise[0] = 0x00;
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': noise.length });
      res.end(noise);
      return;
    }
    if (faults.truncatedDownload) {
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': entry.bytes.length });
      res.write(entry.bytes.subarray(0, Math.floor(entry.bytes.length / 2)), () => res.destroy());
      return;
    }
    if (faults.oversizedDownload) {
      res.writeHead(200, { 'Content-Type': contentType });
      streamOversized(res, entry.bytes);
      return;
    }
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': entry.bytes.length });
    res.end(entry.bytes);
  }
}

/** The real image first (so magic bytes look right), then zeros up to OVERSIZED_BYTES, with backpressure. */
function streamOversized(res: ServerResponse, image: Buffer): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < OVERSIZED_BYTES && !res.destroyed) {
      const chunk = sent === 0 ? image : CHUNK.subarray(0, Math.min(CHUNK.length, OVERSIZED_BYTES - sent));
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.on('close', () => res.removeListener('drain', pump));
  pump();
}
