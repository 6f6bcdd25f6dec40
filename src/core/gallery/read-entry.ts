/**
 * An image file's gallery details, read without loading the whole file: readImageMetadata walks
 * PNG chunks up to the pixel data and JPEG segments up to the scan; for the formats that carry no
 * metadata of ours (WebP, BMP, TIFF, GIF) the dimensions come from the first kilobytes.
 */
import { open } from 'node:fs/promises';
import { readImageMetadata, type ImageMetadata } from '../images/metadata';
import { sniffImage } from '../images/sniff';
import { entryFrom, type FileFacts, type FilePlace, type GalleryEntry } from './entry';

/** Enough for the header of every format image-size reads (a TIFF's first IFD is usually near the start). */
const HEADER_BYTES = 64 * 1024;

async function headerOfFile(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Metadata plus, for formats without ours, the dimensions from the header. */
async function metadataOf(image: string | Uint8Array): Promise<ImageMetadata> {
  const metadata = await readImageMetadata(image);
  if (metadata.width !== undefined || metadata.format === 'unknown') return metadata;
  const header = typeof image === 'string' ? await headerOfFile(image) : image.subarray(0, HEADER_BYTES);
  const info = sniffImage(header);
  return info ? { ...metadata, width: info.width, height: info.height } : metadata;
}

/**
 * The entry for one file: `image` is its path on this machine (read from its head only) or its bytes
 * (a file of another file system, read whole by the caller). Throws only when the file cannot be read.
 */
export async function readGalleryEntry(image: string | Uint8Array, facts: FileFacts, place: FilePlace): Promise<GalleryEntry> {
  return entryFrom(facts, place, await metadataOf(image));
}
