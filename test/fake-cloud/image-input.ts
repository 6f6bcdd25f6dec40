/**
 * Reference images in requests (base64 or URL): decoded or downloaded, then checked against the
 * action's documented limits (format, side lengths, base64 size) with the service's codes.
 */
import { ApiError } from './api-error';
import { readImageInfo, type ImageFormat, type ImageInfo } from './image-info';
import type { ValueCodes } from './validate';

export interface ImageLimits {
  readonly formats: readonly ImageFormat[];
  /** Each side must be strictly greater than this. */
  readonly minSideExclusive: number;
  /** Each side must be strictly less than this. */
  readonly maxSideExclusive: number;
  /** Limit on the base64 text, in bytes. */
  readonly maxBase64Bytes: number;
}

export interface LoadedImage {
  readonly bytes: Buffer;
  readonly info: ImageInfo;
}

/** Downloads an image URL; undefined when it cannot be had. */
export type UrlFetcher = (url: string) => Promise<Buffer | undefined>;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MB = 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 5000;
const DOWNLOAD_CAP_BYTES = 10 * MB;

/**
 * Fetches with a timeout and a size cap. URLs served by this same simulated cloud are read from
 * memory through `local` (so "use a result as reference" works without a network round trip).
 */
export function makeUrlFetcher(local: (url: string) => Buffer | undefined): UrlFetcher {
  return async (url) => {
    const own = local(url);
    if (own) return own;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), redirect: 'follow' });
      if (!response.ok || !response.body) return undefined;
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of response.body) {
        total += (chunk as Uint8Array).byteLength;
        if (total > DOWNLOAD_CAP_BYTES) return undefined;
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
      return Buffer.concat(chunks);
    } catch {
      return undefined;
    }
  };
}

function checkImage(bytes: Buffer, field: string, limits: ImageLimits, codes: ValueCodes): LoadedImage {
  const info = readImageInfo(bytes);
  if (!info) throw new ApiError(codes.imageDecode, `\`${field}\` could not be decoded as an image.`);
  if (!limits.formats.includes(info.format)) {
    throw new ApiError(codes.imageDecode, `\`${field}\` is ${info.format}; supported formats: ${limits.formats.join(', ')}.`);
  }
  const sides = [info.width, info.height];
  if (sides.some((side) => side <= limits.minSideExclusive || side >= limits.maxSideExclusive)) {
    throw new ApiError(
      codes.imageResolution,
      `\`${field}\` is ${info.width}x${info.height}; each side must be greater than ${limits.minSideExclusive} and less than ${limits.maxSideExclusive} pixels.`,
    );
  }
  return { bytes, info };
}

/** One image given as base64 and/or URL (the URL wins when both are given, as documented). */
export async function loadImage(
  source: { readonly base64?: string; readonly url?: string },
  field: string,
  limits: ImageLimits,
  codes: ValueCodes,
  fetchUrl: UrlFetcher,
): Promise<LoadedImage> {
  if (source.url !== undefined && source.url !== '') {
    if (!/^https?:\/\/[^\s/]+/i.test(source.url)) throw new ApiError(codes.urlIllegal, `\`${field}\` is not a valid http(s) URL.`);
    const bytes = await fetchUrl(source.url);
    if (!bytes) throw new ApiError(codes.imageDownload, `The image at \`${field}\` could not be downloaded.`);
    return checkImage(bytes, field, limits, codes);
  }
  if (source.base64 === undefined || source.base64 === '') throw new ApiError(codes.imageEmpty, `\`${field}\` is empty.`);
  if (source.base64.length >= limits.maxBase64Bytes) {
    throw new ApiError(
      codes.imageTooBig,
      `\`${field}\` is ${(source.base64.length / MB).toFixed(1)} MB of base64; the limit is ${limits.maxBase64Bytes / MB} MB.`,
    );
  }
  if (!BASE64.test(source.base64)) throw new ApiError(codes.imageDecode, `\`${field}\` is not valid base64.`);
  return checkImage(Buffer.from(source.base64, 'base64'), field, limits, codes);
}

/** A plain string that is either base64 data or a URL (aiart SubmitTextToImageJob `Images`). */
export function splitBase64OrUrl(value: string): { base64?: string; url?: string } {
  return /^https?:\/\//i.test(value) ? { url: value } : { base64: value };
}
