/**
 * The gallery index between sessions (the host keeps it in workspaceState) and how a scan uses it:
 * a file whose mtime and size are what the cache recorded is not opened again; only new and
 * changed files are read. The stored form is checked on the way in (an older layout or a damaged
 * value is an empty cache, never an error): it outlives the code that wrote it.
 */
import * as z from 'zod/mini';
import type { FileFacts, GalleryEntry } from './entry';

export const GALLERY_CACHE_VERSION = 1;

const text = (max: number) => z.string().check(z.maxLength(max));
const optionalText = (max: number) => z.optional(text(max));
const size = z.optional(z.int().check(z.positive()));

const RecordSchema = z.object({
  prompt: text(20_000),
  negativePrompt: optionalText(20_000),
  model: text(200),
  size: optionalText(100),
  style: optionalText(200),
  seed: z.optional(z.number()),
  requestId: optionalText(200),
  jobId: optionalText(200),
  time: z.optional(z.number()),
});

const EntrySchema = z.object({
  id: text(8_000),
  mtime: z.number(),
  size: z.number().check(z.nonnegative()),
  name: text(1_000),
  relPath: text(8_000),
  folderName: text(1_000),
  format: text(20),
  width: size,
  height: size,
  hasAigcLabel: z.boolean(),
  record: z.optional(RecordSchema),
});

const CacheSchema = z.object({ version: z.literal(GALLERY_CACHE_VERSION), entries: z.array(EntrySchema) });

export interface GalleryCache {
  readonly version: typeof GALLERY_CACHE_VERSION;
  readonly entries: readonly GalleryEntry[];
}

export function toCache(entries: Iterable<GalleryEntry>): GalleryCache {
  return { version: GALLERY_CACHE_VERSION, entries: [...entries] };
}

/** The cached entries by id; empty for anything that is not a cache of this version. */
export function fromCache(stored: unknown): Map<string, GalleryEntry> {
  const parsed = CacheSchema.safeParse(stored);
  if (!parsed.success) return new Map();
  return new Map(parsed.data.entries.map((entry) => [entry.id, entry as GalleryEntry]));
}

/** True when the file is, by mtime and size, the one the entry was read from. */
export function isUnchanged(entry: FileFacts, facts: FileFacts): boolean {
  return entry.id === facts.id && entry.mtime === facts.mtime && entry.size === facts.size;
}

export interface ScanPlan {
  /** Cached entries still valid: kept as they are, their files not opened. */
  readonly reuse: GalleryEntry[];
  /** New or changed files: their metadata must be read. */
  readonly read: FileFacts[];
  /** Ids the cache had that the listing no longer has (deleted, renamed away). */
  readonly gone: string[];
}

/** Compares a fresh listing with the cache. */
export function planScan(cached: ReadonlyMap<string, GalleryEntry>, listing: readonly FileFacts[]): ScanPlan {
  const reuse: GalleryEntry[] = [];
  const read: FileFacts[] = [];
  const listed = new Set<string>();
  for (const facts of listing) {
    listed.add(facts.id);
    const entry = cached.get(facts.id);
    if (entry && isUnchanged(entry, facts)) reuse.push(entry);
    else read.push(facts);
  }
  const gone = [...cached.keys()].filter((id) => !listed.has(id));
  return { reuse, read, gone };
}
