/**
 * The package figures (design.md: the .vsix ≤ 300 KB; the activation bundle ≤ 30 KB): the size of
 * the .vsix `npm run package` made and what takes the room in it, biggest first by compressed size.
 */
import { readFileSync } from 'node:fs';
import { type ZipEntry, zipEntries } from './zip-entries';

export interface PackageFigures {
  readonly vsixBytes: number;
  /** Every entry, biggest (compressed) first. */
  readonly entries: readonly ZipEntry[];
}

/** Where vsce puts the extension's own files inside the .vsix. */
export const EXTENSION_FOLDER = 'extension/';

export function packageFigures(vsix: string): PackageFigures {
  const zip = readFileSync(vsix);
  return { vsixBytes: zip.length, entries: zipEntries(zip).sort((a, b) => b.compressedBytes - a.compressedBytes) };
}

/** An entry of the extension's files by its path in the repository (e.g. `dist/extension.js`). */
export function packagedFile(figures: PackageFigures, file: string): ZipEntry | undefined {
  return figures.entries.find((entry) => entry.name === `${EXTENSION_FOLDER}${file}`);
}
