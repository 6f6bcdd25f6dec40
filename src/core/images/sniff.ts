/**
 * Image format and pixel size from the leading bytes only (never a file name or Content-Type),
 * for the reference-image checks the cloud makes (tencent-api.md §3.2, §4.2, §4.5) and for
 * anything else that must know what a byte array really is. Headers only: pixels are never decoded.
 *
 * The format decision is ours (strict magic bytes); the width/height readers come from the
 * `image-size` package (zero dependencies), imported per format so only these six parsers are
 * bundled (~4 KB) instead of its twenty.
 */
import { BMP } from 'image-size/types/bmp';
import { GIF } from 'image-size/types/gif';
import { JPG } from 'image-size/types/jpg';
import { PNG } from 'image-size/types/png';
import { TIFF } from 'image-size/types/tiff';
import { WEBP } from 'image-size/types/webp';
import type { IImage } from 'image-size/types/interface';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'bmp' | 'tiff' | 'gif';

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

export interface ImageInfo extends ImageSize {
  readonly format: ImageFormat;
}

/** How each format is named to a person, saved on disk and served. */
export const FORMAT_INFO: Readonly<Record<ImageFormat, { readonly name: string; readonly extension: string; readonly mime: string }>> = {
  png: { name: 'PNG', extension: 'png', mime: 'image/png' },
  jpeg: { name: 'JPEG', extension: 'jpg', mime: 'image/jpeg' },
  webp: { name: 'WebP', extension: 'webp', mime: 'image/webp' },
  bmp: { name: 'BMP', extension: 'bmp', mime: 'image/bmp' },
  tiff: { name: 'TIFF', extension: 'tif', mime: 'image/tiff' },
  gif: { name: 'GIF', extension: 'gif', mime: 'image/gif' },
};

function hasBytes(bytes: Uint8Array, expected: readonly number[], at = 0): boolean {
  if (bytes.length < at + expected.length) return false;
  return expected.every((value, i) => bytes[at + i] === value);
}

function hasAscii(bytes: Uint8Array, text: string, at = 0): boolean {
  return hasBytes(bytes, [...text].map((c) => c.charCodeAt(0)), at);
}

/** BITMAPINFOHEADER and its relatives, by their documented header sizes. */
const BMP_DIB_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

function isBmp(bytes: Uint8Array): boolean {
  // "BM" alone matches plenty of text; the reserved words (6..9) are zero and the DIB header
  // size at 14 is one of a handful of values in every real bitmap.
  if (!hasAscii(bytes, 'BM') || !hasBytes(bytes, [0, 0, 0, 0], 6) || bytes.length < 18) return false;
  const dibSize = bytes[14]! | (bytes[15]! << 8) | (bytes[16]! << 16) | (bytes[17]! << 24);
  return BMP_DIB_HEADER_SIZES.has(dibSize);
}

/** The format by its magic bytes, or undefined for anything that is none of the six. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (hasBytes(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (hasBytes(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (hasAscii(bytes, 'GIF87a') || hasAscii(bytes, 'GIF89a')) return 'gif';
  if (hasAscii(bytes, 'RIFF') && hasAscii(bytes, 'WEBP', 8)) return 'webp';
  // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
  if (hasBytes(bytes, [0x49, 0x49, 0x2a, 0x00]) || hasBytes(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (hasBytes(bytes, [0x49, 0x49, 0x2b, 0x00]) || hasBytes(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  if (isBmp(bytes)) return 'bmp';
  return undefined;
}

const SIZE_READERS: Readonly<Record<ImageFormat, IImage>> = {
  png: PNG,
  jpeg: JPG,
  webp: WEBP,
  bmp: BMP,
  tiff: TIFF,
  gif: GIF,
};

/**
 * Width and height from the header of an image already known to be `format`; undefined when the
 * header is truncated or damaged (the readers throw RangeError/TypeError on short input).
 */
export function readImageSize(bytes: Uint8Array, format: ImageFormat): ImageSize | undefined {
  // image-size makes DataViews of `input.buffer` from `byteOffset` without a length, so on a view
  // (a subarray, or a small Buffer from Node's shared pool) it reads past the end into whatever
  // follows. A view gets its own copy first; a whole buffer is read in place. (Not `bytes.slice()`:
  // on a Node Buffer, which is what fs.readFile gives, slice() is another view, not a copy.)
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  try {
    const { width, height } = SIZE_READERS[format].calculate(own);
    const valid = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;
    return valid(width) && valid(height) ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}

/** Format and size together; undefined when the format is unknown or the header unreadable. */
export function sniffImage(bytes: Uint8Array): ImageInfo | undefined {
  const format = sniffFormat(bytes);
  if (format === undefined) return undefined;
  const size = readImageSize(bytes, format);
  return size && { format, ...size };
}
