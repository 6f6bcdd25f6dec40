/**
 * File names for saved images: `<slug>-<yyyymmdd-hhmmss>[-n].<ext>`, derived from the prompt and
 * safe on Windows, macOS and Linux alike.
 *
 * The slug keeps letters, marks and digits of every script (CJK prompts stay readable) and turns
 * everything else (whitespace, punctuation, symbols, emoji, path separators, control characters)
 * into single hyphens. So it can never contain `<>:"/\|?*`, a dot, or a trailing space. Its length
 * is bounded in characters and in UTF-8 bytes (most file systems limit a name to 255 bytes, and
 * the temporary `.<name>.part-<random>` beside it needs room too).
 */

export const MAX_SLUG_CHARS = 60;
export const MAX_SLUG_BYTES = 180;
export const DEFAULT_SLUG = 'image';

/** Device names Windows reserves with any extension; the superscript digits count as well. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts at grapheme boundaries so a letter never loses its combining marks. */
function truncate(text: string, maxChars: number, maxBytes: number): string {
  let result = '';
  let chars = 0;
  for (const { segment } of graphemes.segment(text)) {
    const segmentChars = Array.from(segment).length;
    if (chars + segmentChars > maxChars || utf8Length(result) + utf8Length(segment) > maxBytes) break;
    result += segment;
    chars += segmentChars;
  }
  return result;
}

const trimHyphens = (text: string): string => text.replace(/^-+|-+$/g, '');

export function slugFromPrompt(prompt: string): string {
  const words = prompt
    .normalize('NFC')
    .toLowerCase()
    // Letters and digits of every script, with their combining marks; anything else separates words.
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-');
  // A mark cannot start a name (it would combine with the hyphen before it).
  const slug = trimHyphens(truncate(trimHyphens(words).replace(/^\p{M}+/u, ''), MAX_SLUG_CHARS, MAX_SLUG_BYTES));
  if (slug === '') return DEFAULT_SLUG;
  return WINDOWS_RESERVED.test(slug) ? `${slug}-${DEFAULT_SLUG}` : slug;
}

const two = (value: number): string => String(value).padStart(2, '0');

/** `yyyymmdd-hhmmss` in local time: the time the user sees on their clock. */
export function fileTimestamp(date: Date): string {
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** The stem shared by every candidate name of one save (before `-n` and the extension). */
export function fileStem(prompt: string, date: Date): string {
  return `${slugFromPrompt(prompt)}-${fileTimestamp(date)}`;
}

/** Candidate `attempt` (1, 2, 3…): the first has no counter, later ones end in `-2`, `-3`… */
export function candidateFileName(stem: string, extension: string, attempt: number): string {
  return attempt <= 1 ? `${stem}.${extension}` : `${stem}-${attempt}.${extension}`;
}

/**
 * Whether `name` is a safe single file name on every OS: non-empty, ≤ 255 UTF-8 bytes, no control
 * characters or `<>:"/\|?*`, no trailing dot or space, not `.`/`..`, and no Windows device name
 * (before the first dot).
 */
export function isPortableFileName(name: string): boolean {
  if (name === '' || name === '.' || name === '..' || utf8Length(name) > 255) return false;
  if (/[\u0000-\u001f\u007f<>:"/\\|?*]/.test(name) || /[. ]$/.test(name)) return false;
  return !WINDOWS_RESERVED.test(name.split('.')[0].trimEnd());
}
