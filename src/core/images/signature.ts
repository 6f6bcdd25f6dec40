/**
 * The formats a saved result may have (SavedImage['format']), told apart by their leading bytes
 * with sniff.ts — never by a Content-Type or a file name. GIF, which sniff.ts also knows, is not
 * among them: no image API we call returns it, so a GIF result is refused like any non-image.
 */
import type { SavedImage } from '../jobs/ports';
import { FORMAT_INFO, sniffFormat } from './sniff';

export type SavedFormat = SavedImage['format'];

/** Leading bytes enough for sniffFormat to recognise every format (BMP needs its DIB header size at 14..17). */
export const SIGNATURE_BYTES = 32;

export function detectSavedFormat(head: Uint8Array): SavedFormat | undefined {
  const format = sniffFormat(head);
  return format === 'gif' ? undefined : format;
}

/** The file extension a format is saved under (`jpg`, `png`, `tif`…), shared with the rest of the extension. */
export function extensionFor(format: SavedFormat): string {
  return FORMAT_INFO[format].extension;
}
