/**
 * Fetching a result image into a (temporary) file: from its URL, or from inline base64.
 *
 * Both paths write through one bounded sink: a byte cap (the file is deleted when it is exceeded),
 * the magic bytes checked as soon as they arrive (an HTML error page is refused whatever its
 * Content-Type says), and the file removed on any failure or abort. Memory stays bounded: the
 * download is streamed chunk by chunk, and base64 is decoded slice by slice into one reused buffer.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { defaultDispatcher, type Dispatcher } from '../tencent/undici';
import { cancelledError, networkError, proxyRefusedError, timeoutError } from '../tencent/error-catalog';
import { proxyRefusalStatus } from '../tencent/proxy';
import { StudioError } from '../tencent/errors';
import {
  downloadFailedError,
  downloadTooLargeError,
  downloadTruncatedError,
  fileSystemError,
  insecureUrlError,
  notAnImageError,
  redirectRefusedError,
  resultExpiredError,
  tooManyRedirectsError,
} from './save-errors';
import { writeAll } from './splice-file';
import { detectSavedFormat, SIGNATURE_BYTES, type SavedFormat } from './signature';

export const DEFAULT_MAX_IMAGE_BYTES = 30 * 1024 * 1024;
export const MAX_REDIRECTS = 3;
const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
/** Longest silence between two body chunks before the download counts as stalled. */
const DEFAULT_BODY_TIMEOUT_MS = 30_000;
/** Base64 characters decoded per step (a multiple of 4): about 192 KB of output. */
const BASE64_SLICE_CHARS = 256 * 1024;

export interface FetchedImage {
  readonly bytes: number;
  readonly format: SavedFormat;
}

export interface FetchLimits {
  /** Largest image accepted, bytes (default 30 MB). */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

export interface DownloadOptions extends FetchLimits {
  /** When the URL stops working (epoch ms): a 403/404 after it is reported as an expired result. */
  readonly expiresAt?: number;
  /** Clock for the expiry check (tests). */
  readonly now?: () => number;
  /** A proxy agent (undici does not use VS Code's proxy support by itself). */
  readonly dispatcher?: Dispatcher;
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
}

/** Whether a host is this computer: the only place plain HTTP is allowed (the simulated cloud). */
export function isLoopbackHost(hostname: string): boolean {
  // WHATWG URL parsing normalises IPv4 forms (0x7f.1, 2130706433) to dotted decimal first.
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export function isAllowedDownloadUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** Creates the file exclusively and accepts chunks until the cap; knows the format once enough bytes came. */
class BoundedImageSink {
  private received = 0;
  private head: Buffer = Buffer.alloc(0);
  private format: SavedFormat | undefined;

  private constructor(private readonly file: FileHandle, private readonly maxBytes: number) {}

  static async create(path: string, maxBytes: number, folderForErrors: string): Promise<BoundedImageSink> {
    try {
      return new BoundedImageSink(await open(path, 'wx'), maxBytes);
    } catch (error) {
      throw fileSystemError(error, folderForErrors);
    }
  }

  get bytes(): number {
    return this.received;
  }

  async write(chunk: Uint8Array, folderForErrors: string): Promise<void> {
    if (this.received + chunk.length > this.maxBytes) throw downloadTooLargeError(this.maxBytes);
    this.received += chunk.length;
    if (this.head.length < SIGNATURE_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, SIGNATURE_BYTES - this.head.length)]);
      if (this.head.length >= SIGNATURE_BYTES) this.format = this.checkedFormat();
    }
    try {
      await writeAll(this.file, chunk);
    } catch (error) {
      throw fileSystemError(error, folderForErrors);
    }
  }

  /** Closes the file; the format of a body shorter than SIGNATURE_BYTES is decided here. */
  async finish(): Promise<FetchedImage> {
    await this.file.close();
    return { bytes: this.received, format: this.format ?? this.checkedFormat() };
  }

  async abandon(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }

  private checkedFormat(): SavedFormat {
    const format = detectSavedFormat(this.head);
    if (format) return format;
    const text = this.head.toString('latin1');
    const looksLikeText = /^[\x09\x0a\x0d\x20-\x7e]*$/.test(text);
    const looksLikeHtml = /^\s*</.test(text);
    throw notAnImageError(this.received === 0 ? 'the body is empty' : looksLikeHtml ? 'an HTML or XML page' : looksLikeText ? 'text' : 'unknown binary data');
  }
}

/** Runs `fill` against a fresh sink at `path`; on any failure the file is removed and the error rethrown. */
async function fillFile(path: string, limits: FetchLimits, folder: string, fill: (sink: BoundedImageSink) => Promise<void>): Promise<FetchedImage> {
  throwIfAborted(limits.signal);
  const sink = await BoundedImageSink.create(path, limits.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES, folder);
  try {
    await fill(sink);
    throwIfAborted(limits.signal);
    return await sink.finish();
  } catch (error) {
    await sink.abandon();
    await rm(path, { force: true });
    throw error;
  }
}

/**
 * Decodes inline base64 (optionally a `data:` URL) into `path`, slice by slice: memory beyond
 * the string itself stays at one ~192 KB buffer, whatever the image size.
 */
export async function decodeBase64ToFile(data: string, path: string, limits: FetchLimits = {}): Promise<FetchedImage> {
  const start = data.startsWith('data:') ? data.indexOf(',') + 1 : 0;
  const folder = dirname(path);
  return fillFile(path, limits, folder, async (sink) => {
    // The last step may also decode the ≤ 3 characters carried over from the step before.
    const buffer = Buffer.allocUnsafe((BASE64_SLICE_CHARS / 4) * 3 + 3);
    let carry = '';
    for (let offset = start; offset < data.length; offset += BASE64_SLICE_CHARS) {
      throwIfAborted(limits.signal);
      const slice = data.slice(offset, offset + BASE64_SLICE_CHARS);
      if (/[^A-Za-z0-9+/=_\-\s]/.test(slice)) throw notAnImageError('the inline image data is not valid base64');
      // Whitespace would shift the 4-character groups across steps: drop it and carry the remainder.
      const text = carry + (/\s/.test(slice) ? slice.replace(/\s+/g, '') : slice);
      const usable = offset + BASE64_SLICE_CHARS >= data.length ? text.length : text.length - (text.length % 4);
      carry = text.slice(usable);
      const written = buffer.write(text.slice(0, usable), 0, 'base64');
      await sink.write(buffer.subarray(0, written), folder);
    }
  });
}

interface OpenedBody {
  readonly body: Dispatcher.ResponseData['body'];
  readonly contentLength: number | undefined;
}

function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Releases a response body we will not read (destroying it emits an error nobody needs to hear). */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** The limit an undici timeout error refers to, or undefined for any other error. */
function timeoutOf(error: unknown, options: DownloadOptions): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  if (code === 'UND_ERR_BODY_TIMEOUT') return options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  return undefined;
}

/** Follows up to MAX_REDIRECTS redirects by hand, each checked: same scheme, and HTTPS unless loopback. */
async function openImageResponse(url: string, options: DownloadOptions): Promise<OpenedBody> {
  let current = new URL(url);
  if (!isAllowedDownloadUrl(current)) throw insecureUrlError(url);
  for (let redirects = 0; ; redirects++) {
    const response = await (options.dispatcher ?? defaultDispatcher()).request({
      origin: current.origin,
      path: `${current.pathname}${current.search}`,
      method: 'GET',
      headers: { accept: 'image/*' },
      signal: options.signal,
      maxRedirections: 0,
      headersTimeout: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
      bodyTimeout: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    });
    const { statusCode, headers, body } = response;
    if (statusCode >= 200 && statusCode < 300) {
      const declared = headerValue(headers, 'content-length');
      return { body, contentLength: declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined };
    }
    discard(body);
    const location = headerValue(headers, 'location');
    if ([301, 302, 303, 307, 308].includes(statusCode) && location) {
      if (redirects >= MAX_REDIRECTS) throw tooManyRedirectsError(MAX_REDIRECTS);
      const next = new URL(location, current);
      if (next.protocol !== current.protocol || !isAllowedDownloadUrl(next)) throw redirectRefusedError(current.href, next.href);
      current = next;
      continue;
    }
    const now = options.now ?? Date.now;
    if ((statusCode === 403 || statusCode === 404 || statusCode === 410) && options.expiresAt !== undefined && now() >= options.expiresAt) {
      throw resultExpiredError(options.expiresAt);
    }
    throw downloadFailedError(statusCode, current.href);
  }
}

/**
 * Downloads `url` into a new file at `path` (created exclusively). Throws StudioError: refused
 * URL or redirect, HTTP failure (expired result), too large, not an image, truncated, network,
 * timeout, cancelled. On any failure, nothing is left at `path`.
 */
export async function downloadToFile(url: string, path: string, options: DownloadOptions = {}): Promise<FetchedImage> {
  const folder = dirname(path);
  return fillFile(path, options, folder, async (sink) => {
    let opened: OpenedBody | undefined;
    try {
      opened = await openImageResponse(url, options);
      if (opened.contentLength !== undefined && opened.contentLength > (options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES)) {
        throw downloadTooLargeError(options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES);
      }
      for await (const chunk of opened.body) await sink.write(chunk as Buffer, folder);
    } catch (error) {
      if (opened) discard(opened.body);
      if (options.signal?.aborted) throw cancelledError();
      if (error instanceof StudioError) throw error;
      const timeoutMs = timeoutOf(error, options);
      if (timeoutMs !== undefined) throw timeoutError(timeoutMs, false);
      // The headers arrived and then the body broke off: the image is incomplete.
      if (opened) throw downloadTruncatedError(sink.bytes, opened.contentLength, error);
      const refusedWith = proxyRefusalStatus(error);
      throw refusedWith === undefined ? networkError(error, false) : proxyRefusedError(refusedWith);
    }
    if (opened.contentLength !== undefined && sink.bytes !== opened.contentLength) {
      throw downloadTruncatedError(sink.bytes, opened.contentLength);
    }
  });
}
