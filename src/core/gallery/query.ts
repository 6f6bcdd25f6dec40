/**
 * What the gallery shows of its index: search by prompt text, filter by model, sort by time or
 * name. The host owns this (the webview only renders the list it is sent), so the same rules hold
 * for every view of the index and are tested here in plain Node.
 *
 * Search: the query and each entry's text are NFKC-normalised (full-width letters and digits, the
 * ideographic space, compatibility ideographs become their plain forms) and lower-cased; the query
 * is split at white space and EVERY word must occur in the entry's text. No word segmentation is
 * attempted: Chinese is written without spaces, so a word is matched as a substring ("狐狸" finds
 * "雪中的红狐狸"). The entry's text is its prompt and its file name (an image without our record is
 * still found by its name, and our names are made from the prompt).
 */
import { entryTime, type GalleryEntry } from './entry';

export type GallerySort = 'time' | 'name';

export interface GalleryQuery {
  readonly text: string;
  /** A model id, or '' for every model. */
  readonly model: string;
  readonly sort: GallerySort;
}

export const DEFAULT_QUERY: GalleryQuery = Object.freeze({ text: '', model: '', sort: 'time' });

export function normalizeSearchText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The words of a query, normalised; [] for a blank one (which matches everything). */
export function searchWords(text: string): string[] {
  return normalizeSearchText(text)
    .split(/\s+/u)
    .filter((word) => word !== '');
}

/** Normalised haystacks, computed once per entry object (entries are immutable; a changed file is a new object). */
const haystacks = new WeakMap<GalleryEntry, string>();

function haystackOf(entry: GalleryEntry): string {
  let haystack = haystacks.get(entry);
  if (haystack === undefined) {
    haystack = normalizeSearchText(`${entry.record?.prompt ?? ''}\n${entry.name}`);
    haystacks.set(entry, haystack);
  }
  return haystack;
}

export function matchesWords(entry: GalleryEntry, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const haystack = haystackOf(entry);
  return words.every((word) => haystack.includes(word));
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Newest first; equal times by name, so the order is stable across refreshes. */
function compareTime(a: GalleryEntry, b: GalleryEntry): number {
  return entryTime(b) - entryTime(a) || byName.compare(a.name, b.name) || a.id.localeCompare(b.id);
}

/** A to Z the way people sort (numbers by value: image-2 before image-10); same names by folder path. */
function compareName(a: GalleryEntry, b: GalleryEntry): number {
  return byName.compare(a.name, b.name) || byName.compare(a.relPath, b.relPath) || a.id.localeCompare(b.id);
}

/** The entries the query selects, in its order. */
export function applyQuery(entries: Iterable<GalleryEntry>, query: GalleryQuery): GalleryEntry[] {
  const words = searchWords(query.text);
  const selected = [...entries].filter((entry) => (query.model === '' || entry.record?.model === query.model) && matchesWords(entry, words));
  return selected.sort(query.sort === 'name' ? compareName : compareTime);
}

/** The model ids that occur in the index, sorted, for the model filter. */
export function modelsIn(entries: Iterable<GalleryEntry>): string[] {
  const models = new Set<string>();
  for (const entry of entries) if (entry.record?.model) models.add(entry.record.model);
  return [...models].sort();
}
