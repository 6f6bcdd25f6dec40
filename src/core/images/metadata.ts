/**
 * Image metadata by format: planning what to add (the GB 45438-2025 AIGC label when the image
 * has none, and always our generation record) and reading both back for the gallery.
 *
 * Adding never re-encodes: it is one insertion of whole chunks/segments at a structural boundary,
 * every other byte kept as the service returned it. PNG and JPEG carry metadata; WebP, BMP and
 * TIFF results are saved unchanged (no catalog model returns them).
 */
import { open } from 'node:fs/promises';
import type { AigcLabel, GenerationRecord } from './record';
import { bytesSource, fileSource, type ByteSource, type Insertion } from './byte-source';
import { parseAigcLabel, parseGenerationRecord, toEmbeddableJson } from './aigc-label';
import { fittedXmpPacket, scanJpeg, xmpSegment } from './jpeg-metadata';
import { iTXtChunk, PNG_AIGC_KEYWORD, PNG_IHDR_END, PNG_RECORD_KEYWORD, PNG_XMP_KEYWORD, scanPng } from './png-metadata';
import { detectSavedFormat, SIGNATURE_BYTES, type SavedFormat } from './signature';
import { sniffFormat, type ImageFormat } from './sniff';
import { readXmpAigc, readXmpRecord } from './xmp';
import { notAnImageError } from './save-errors';

export interface ImageMetadata {
  readonly format: ImageFormat | 'unknown';
  readonly width?: number;
  readonly height?: number;
  readonly label?: AigcLabel;
  readonly record?: GenerationRecord;
}

export interface MetadataToAdd {
  readonly record: GenerationRecord;
  /** Added only when the image carries no AIGC label of its own (that one is kept untouched). */
  readonly label: AigcLabel;
}

export interface MetadataPlan {
  readonly format: SavedFormat;
  /** Undefined for formats we do not write metadata into. */
  readonly insertion?: Insertion;
  /** False when the image already had an AIGC label (or takes no metadata). */
  readonly labelAdded: boolean;
}

async function headOf(source: ByteSource): Promise<Uint8Array> {
  return source.read(0, SIGNATURE_BYTES);
}

/**
 * What to insert into the image in `source`. Walks the whole PNG chunk list (seeking over pixel
 * data) so a label the service placed after the image data is found too. Throws StudioError
 * `Client.NotAnImage` when the bytes are not a well-formed image of a known format.
 */
export async function planMetadata(source: ByteSource, metadata: MetadataToAdd): Promise<MetadataPlan> {
  const format = detectSavedFormat(await headOf(source));
  if (format === 'png') {
    const scan = await scanPng(source, true);
    if (!scan) throw notAnImageError('a PNG without a valid IHDR header');
    const xmp = scan.texts.get(PNG_XMP_KEYWORD);
    const hasLabel = scan.texts.has(PNG_AIGC_KEYWORD) || (xmp !== undefined && readXmpAigc(xmp) !== undefined);
    const chunks = [
      ...(hasLabel ? [] : [iTXtChunk(PNG_AIGC_KEYWORD, toEmbeddableJson(metadata.label))]),
      iTXtChunk(PNG_RECORD_KEYWORD, toEmbeddableJson(metadata.record)),
    ];
    return { format, insertion: { offset: PNG_IHDR_END, bytes: Buffer.concat(chunks) }, labelAdded: !hasLabel };
  }
  if (format === 'jpeg') {
    const scan = await scanJpeg(source);
    if (!scan) throw notAnImageError('a JPEG without a start-of-image marker');
    const hasLabel = scan.xmpPackets.some((packet) => readXmpAigc(packet) !== undefined);
    const segment = xmpSegment(fittedXmpPacket(metadata.record, hasLabel ? undefined : metadata.label));
    return { format, insertion: { offset: scan.insertAt, bytes: segment }, labelAdded: !hasLabel };
  }
  if (format) return { format, labelAdded: false };
  throw notAnImageError('an unrecognised format');
}

/** planMetadata for an image file on disk. */
export async function planMetadataForFile(path: string, metadata: MetadataToAdd): Promise<MetadataPlan> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return await planMetadata(fileSource(handle, size), metadata);
  } finally {
    await handle.close();
  }
}

/** The same insertion, in memory: for small images and tests. */
export async function addImageMetadata(image: Uint8Array, metadata: MetadataToAdd): Promise<Buffer> {
  const { insertion } = await planMetadata(bytesSource(image), metadata);
  if (!insertion) return Buffer.from(image);
  return Buffer.concat([image.subarray(0, insertion.offset), insertion.bytes, image.subarray(insertion.offset)]);
}

function firstParsed<T>(texts: readonly (string | undefined)[], parse: (text: string) => T | undefined): T | undefined {
  for (const text of texts) {
    const value = text === undefined ? undefined : parse(text);
    if (value !== undefined) return value;
  }
  return undefined;
}

async function readFromSource(source: ByteSource): Promise<ImageMetadata> {
  const format = sniffFormat(await headOf(source));
  if (format === 'png') {
    const scan = await scanPng(source, false);
    if (!scan) return { format };
    const xmp = scan.texts.get(PNG_XMP_KEYWORD);
    const xmpLabel = xmp === undefined ? undefined : readXmpAigc(xmp);
    const xmpRecord = xmp === undefined ? undefined : readXmpRecord(xmp);
    return {
      format,
      width: scan.width,
      height: scan.height,
      label: firstParsed([scan.texts.get(PNG_AIGC_KEYWORD), xmpLabel], parseAigcLabel),
      record: firstParsed([scan.texts.get(PNG_RECORD_KEYWORD), xmpRecord], parseGenerationRecord),
    };
  }
  if (format === 'jpeg') {
    const scan = await scanJpeg(source);
    if (!scan) return { format };
    return {
      format,
      width: scan.width,
      height: scan.height,
      label: firstParsed(scan.xmpPackets.map(readXmpAigc), parseAigcLabel),
      record: firstParsed(scan.xmpPackets.map(readXmpRecord), parseGenerationRecord),
    };
  }
  return { format: format ?? 'unknown' };
}

/**
 * The label, our record and the dimensions of an image file (or bytes), read from its head only:
 * PNG chunks up to the first image data, JPEG segments up to the scan, each bounded. Bad
 * metadata is never an error (what is valid is returned); only failing to open or read the file is.
 */
export async function readImageMetadata(image: string | Uint8Array): Promise<ImageMetadata> {
  if (typeof image !== 'string') return readFromSource(bytesSource(image));
  const handle = await open(image, 'r');
  try {
    const { size } = await handle.stat();
    return await readFromSource(fileSource(handle, size));
  } finally {
    await handle.close();
  }
}
