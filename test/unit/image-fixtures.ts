/** Real, small PNG and JPEG files for the image tests, built with node:zlib and jpeg-js. */
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import * as jpeg from 'jpeg-js';

export interface PngChunk {
  readonly type: string;
  readonly data: Buffer;
  /** Offset of the chunk's length field in the file. */
  readonly offset: number;
  readonly crcValid: boolean;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A tEXt chunk (Latin-1). */
export function textChunk(keyword: string, text: string): Buffer {
  return chunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'));
}

/** Deterministic RGB pixels, filter type 0 per scanline: the raw data IDAT compresses. */
export function rawPixels(width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width * 3; x++) raw[row + 1 + x] = (x * 7 + y * 13) & 0xff;
  }
  return raw;
}

export interface PngOptions {
  readonly before?: readonly Buffer[];
  readonly after?: readonly Buffer[];
  /** Split the compressed data over this many IDAT chunks. */
  readonly idatChunks?: number;
  /** Pad with a tEXt chunk before IEND so the file is exactly this many bytes (still a valid PNG). */
  readonly totalBytes?: number;
}

export function makePng(width: number, height: number, options: PngOptions = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const compressed = deflateSync(rawPixels(width, height));
  const parts = options.idatChunks ?? 1;
  const step = Math.ceil(compressed.length / parts);
  const idats = Array.from({ length: parts }, (_, i) => chunk('IDAT', compressed.subarray(i * step, (i + 1) * step)));
  const body = [PNG_SIGNATURE, chunk('IHDR', ihdr), ...(options.before ?? []), ...idats, ...(options.after ?? [])];
  const end = chunk('IEND', Buffer.alloc(0));
  if (options.totalBytes !== undefined) {
    const size = body.reduce((n, part) => n + part.length, 0) + end.length;
    const padding = options.totalBytes - size - 12 - 'Comment\0'.length;
    if (padding < 0) throw new Error(`PNG cannot be as small as ${options.totalBytes} bytes`);
    body.push(chunk('tEXt', Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.alloc(padding, 0x61)])));
  }
  return Buffer.concat([...body, end]);
}

export function pngChunks(png: Buffer): PngChunk[] {
  const chunks: PngChunk[] = [];
  for (let offset = 8; offset + 12 <= png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crcValid = crc32(png.subarray(offset + 4, offset + 8 + length)) === png.readUInt32BE(offset + 8 + length);
    chunks.push({ type, data, offset, crcValid });
    offset += 12 + length;
  }
  return chunks;
}

/** The inflated image data of a PNG (all IDAT chunks together). */
export function pngImageData(png: Buffer): Buffer {
  return inflateSync(Buffer.concat(pngChunks(png).filter((c) => c.type === 'IDAT').map((c) => c.data)));
}

export function makeJpeg(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = (i * 5) & 0xff;
    data[i * 4 + 1] = (i * 11) & 0xff;
    data[i * 4 + 2] = (i * 17) & 0xff;
    data[i * 4 + 3] = 0xff;
  }
  return jpeg.encode({ data, width, height }, 90).data;
}

export interface JpegSegment {
  readonly marker: number;
  readonly offset: number;
  /** Whole segment: marker, length and payload. */
  readonly bytes: Buffer;
}

/** The segments before SOS. */
export function jpegSegments(file: Buffer): JpegSegment[] {
  const segments: JpegSegment[] = [];
  for (let offset = 2; offset + 4 <= file.length; ) {
    const marker = file[offset + 1];
    if (marker === 0xda) break;
    const length = file.readUInt16BE(offset + 2);
    segments.push({ marker, offset, bytes: file.subarray(offset, offset + 2 + length) });
    offset += 2 + length;
  }
  return segments;
}

export function app1(payload: Buffer): Buffer {
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

/** Inserts a segment right after SOI (before JFIF, as some encoders do with Exif). */
export function withSegmentAfter(file: Buffer, offset: number, segment: Buffer): Buffer {
  return Buffer.concat([file.subarray(0, offset), segment, file.subarray(offset)]);
}

export function decodeJpeg(file: Buffer): Uint8Array {
  return jpeg.decode(file, { useTArray: true }).data;
}
