// Pure helpers of the gallery page (no DOM), so unit tests can run them in Node.

/** Fills `{0}`, `{1}`, … of a template the host localised (see GALLERY_STRING_KEYS). */
export function fill(template: string, ...values: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = values[Number(index)];
    return value === undefined ? match : String(value);
  });
}

/** A file size as people read it: `812 B`, `1.4 KB`, `12.3 MB` (1 KB = 1024 B, as the explorer shows). */
export function formatBytes(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** A whole number with the language's grouping, e.g. `2,000`. */
export function formatCount(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

/** Date and time in the user's language, e.g. `Nov 21, 2026, 4:51:26 AM`, `2026年11月21日 04:51:26`. */
export function formatTime(epochMs: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(epochMs));
}

/** A one-line excerpt of a prompt for labels: whitespace collapsed, at most `max` characters. */
export function excerpt(text: string, max = 120): string {
  // By code points, so a cut never splits a surrogate pair (emoji, rare CJK).
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}
