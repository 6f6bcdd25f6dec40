/**
 * One image of the gallery, as the index keeps it: where the file is, what the file system says
 * about it (mtime and size: the cache is validated by them), and what the file's own metadata says
 * (our generation record and the AIGC label, read by src/core/images/metadata.ts). An image without
 * our metadata is still an entry, with what is known: name, size, dimensions, time.
 */
import type { ImageMetadata } from '../images/metadata';
import type { GenerationRecord } from '../images/record';

/** File extensions the gallery shows (GIF too: users keep them in the same folders). */
export const GALLERY_EXTENSIONS: readonly string[] = ['png', 'jpg', 'jpeg', 'webp', 'bmp', 'tif', 'tiff', 'gif'];

/**
 * Whether a file name is an image the gallery shows. Hidden files are not: the saver publishes
 * through a hidden `.<stem>.part-…` file, which must never flash up in the grid.
 */
export function isGalleryImageName(name: string): boolean {
  if (name.startsWith('.')) return false;
  const dot = name.lastIndexOf('.');
  return dot > 0 && GALLERY_EXTENSIONS.includes(name.slice(dot + 1).toLowerCase());
}

/** What a directory listing and a stat tell about an image file. */
export interface FileFacts {
  /** Stable identity: the file's URI string. */
  readonly id: string;
  /** Last modification, epoch ms. */
  readonly mtime: number;
  /** Bytes. */
  readonly size: number;
}

/** Where the file is, for people: its name, its path in the workspace folder, and that folder's name. */
export interface FilePlace {
  readonly name: string;
  readonly relPath: string;
  readonly folderName: string;
}

/** Our generation record as the gallery shows it (the time as epoch ms). */
export interface EntryRecord {
  readonly prompt: string;
  readonly negativePrompt?: string;
  readonly model: string;
  readonly size?: string;
  readonly style?: string;
  readonly seed?: number;
  readonly requestId?: string;
  readonly jobId?: string;
  readonly time?: number;
}

export interface GalleryEntry extends FileFacts, FilePlace {
  /** `png`, `jpeg`, … or `unknown` when the bytes are no image we recognise. */
  readonly format: string;
  readonly width?: number;
  readonly height?: number;
  readonly hasAigcLabel: boolean;
  readonly record?: EntryRecord;
}

/** The time an entry sorts by: when it was generated (its record says), else the file's mtime (a copy or a checkout resets mtimes). */
export function entryTime(entry: Pick<GalleryEntry, 'mtime' | 'record'>): number {
  return entry.record?.time ?? entry.mtime;
}

function recordOf(record: GenerationRecord): EntryRecord {
  const time = Date.parse(record.time);
  return {
    prompt: record.prompt,
    negativePrompt: record.negativePrompt || undefined,
    model: record.model,
    size: record.size || undefined,
    style: record.style || undefined,
    seed: record.seed,
    requestId: record.requestId || undefined,
    jobId: record.jobId || undefined,
    time: Number.isFinite(time) ? time : undefined,
  };
}

export function entryFrom(facts: FileFacts, place: FilePlace, metadata: ImageMetadata): GalleryEntry {
  return {
    id: facts.id,
    mtime: facts.mtime,
    size: facts.size,
    name: place.name,
    relPath: place.relPath,
    folderName: place.folderName,
    format: metadata.format,
    width: metadata.width,
    height: metadata.height,
    hasAigcLabel: metadata.label?.Label === '1',
    record: metadata.record && recordOf(metadata.record),
  };
}
