/**
 * The entries of a zip file (a .vsix is one) from its central directory: names and sizes, no
 * extraction. Enough for the package figures; no zip64 (a .vsix of this size never needs it).
 */
export interface ZipEntry {
  readonly name: string;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
/** The end record is 22 bytes plus a comment of at most 65535. */
const END_RECORD_SEARCH = 22 + 0xffff;

export function zipEntries(zip: Buffer): ZipEntry[] {
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - END_RECORD_SEARCH); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file: no end-of-central-directory record');
  const count = zip.readUInt16LE(end + 10);
  const entries: ZipEntry[] = [];
  for (let at = zip.readUInt32LE(end + 16), i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER) throw new Error(`damaged zip: no central directory header at byte ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      compressedBytes: zip.readUInt32LE(at + 20),
      uncompressedBytes: zip.readUInt32LE(at + 24),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}
