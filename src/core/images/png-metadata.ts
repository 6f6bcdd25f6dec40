/**
 * PNG text metadata: reading the label, our record and XMP from text chunks, and building the
 * iTXt chunks we insert right after IHDR (so a reader of the file's head finds them before the
 * pixel data). iTXt because it is UTF-8: CJK prompts survive, unlike Latin-1 tEXt.
 *
 * Reading walks chunks by their declared lengths and seeks over everything it does not need;
 * damaged or hostile input ends the walk quietly with what was valid so far.
 */
import { crc32, inflateSync } from 'node:zlib';
import { type ByteSource, readUint32BE } from './byte-source';

export const PNG_AIGC_KEYWORD = 'AIGC';
export const PNG_RECORD_KEYWORD = 'aigc-image-studio';
export const PNG_XMP_KEYWORD = 'XML:com.adobe.xmp';
const KEYWORDS_READ = new Set([PNG_AIGC_KEYWORD, PNG_RECORD_KEYWORD, PNG_XMP_KEYWORD]);

/** Signature (8) + IHDR chunk (4 length + 4 type + 13 data + 4 CRC). */
export const PNG_IHDR_END = 33;
/** Text chunks larger than this, compressed or not, are not read (a label or record is tiny). */
const MAX_TEXT_BYTES = 1 << 20;
/** Text bytes read in one walk, at most: with the chunk limit, it bounds what a hostile file costs. */
const MAX_TEXT_BYTES_READ = 4 * MAX_TEXT_BYTES;
/** A walk over more chunks than this stops: it bounds the work a hostile file can cause. */
const MAX_CHUNKS = 20_000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngScan {
  readonly width: number;
  readonly height: number;
  /** First text value found per keyword we read (AIGC, ours, XMP), from tEXt, zTXt or iTXt. */
  readonly texts: ReadonlyMap<string, string>;
}

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/** An uncompressed iTXt chunk without language tag or translated keyword. */
export function iTXtChunk(keyword: string, text: string): Buffer {
  // keyword NUL, compression flag 0, compression method 0, empty language tag NUL, empty translated keyword NUL
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]);
  return pngChunk('iTXt', data);
}

function inflateBounded(data: Uint8Array): Buffer | undefined {
  try {
    return inflateSync(data, { maxOutputLength: MAX_TEXT_BYTES });
  } catch {
    return undefined;
  }
}

/** The keyword and text of a tEXt/zTXt/iTXt chunk, when it is one of the keywords we read. */
function decodeTextChunk(type: string, data: Buffer): { keyword: string; text: string } | undefined {
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 1 || keywordEnd > 79) return undefined;
  const keyword = data.toString('latin1', 0, keywordEnd);
  if (!KEYWORDS_READ.has(keyword)) return undefined;
  if (type === 'tEXt') return { keyword, text: data.toString('latin1', keywordEnd + 1) };
  if (type === 'zTXt') {
    const inflated = data[keywordEnd + 1] === 0 ? inflateBounded(data.subarray(keywordEnd + 2)) : undefined;
    return inflated && { keyword, text: inflated.toString('latin1') };
  }
  const compressed = data[keywordEnd + 1] === 1;
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return undefined;
  const body = data.subarray(translatedEnd + 1);
  const text = compressed ? (data[keywordEnd + 2] === 0 ? inflateBounded(body) : undefined) : body;
  return text && { keyword, text: text.toString('utf8') };
}

/** Whether a text chunk's keyword (its first ≤ 80 bytes) is one we read: others are skipped unread. */
async function isKeywordRead(source: ByteSource, dataAt: number, length: number): Promise<boolean> {
  const start = Buffer.from(await source.read(dataAt, Math.min(length, 80)));
  const keywordEnd = start.indexOf(0);
  return keywordEnd > 0 && KEYWORDS_READ.has(start.toString('latin1', 0, keywordEnd));
}

/**
 * Dimensions and the text chunks we read. `wholeFile` false stops at the first IDAT (our chunks
 * sit before it: enough for the gallery); true walks to IEND, seeking over the pixel data, to
 * find a label the service may have put after it. Undefined when the head is not a valid PNG.
 */
export async function scanPng(source: ByteSource, wholeFile: boolean): Promise<PngScan | undefined> {
  const head = Buffer.from(await source.read(0, PNG_IHDR_END));
  if (head.length < PNG_IHDR_END || !head.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  if (readUint32BE(head, 8) !== 13 || head.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  const texts = new Map<string, string>();
  let budget = MAX_TEXT_BYTES_READ;
  let position = PNG_IHDR_END;
  for (let count = 0; count < MAX_CHUNKS && position + 12 <= source.size; count++) {
    const header = Buffer.from(await source.read(position, 8));
    const length = readUint32BE(header, 0);
    const type = header.toString('latin1', 4, 8);
    if (length > source.size - position - 12 || type === 'IEND' || (type === 'IDAT' && !wholeFile)) break;
    if ((type === 'tEXt' || type === 'zTXt' || type === 'iTXt') && length <= MAX_TEXT_BYTES && (await isKeywordRead(source, position + 8, length))) {
      budget -= length;
      if (budget < 0) break;
      const chunk = Buffer.from(await source.read(position + 4, length + 8));
      const crcValid = crc32(chunk.subarray(0, 4 + length)) === chunk.readUInt32BE(4 + length);
      const entry = crcValid ? decodeTextChunk(type, chunk.subarray(4, 4 + length)) : undefined;
      if (entry && !texts.has(entry.keyword)) texts.set(entry.keyword, entry.text);
    }
    position += 12 + length;
  }
  return { width: readUint32BE(head, 16), height: readUint32BE(head, 20), texts };
}
