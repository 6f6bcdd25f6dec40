/**
 * JPEG metadata: reading XMP packets and dimensions from the segments before the scan data, and
 * building the XMP APP1 segment we insert after SOI and the leading APP0 (JFIF) / APP1 (Exif,
 * existing XMP) segments, so those keep their required places and an existing XMP stays first.
 *
 * A segment holds at most 65,533 bytes of payload; an over-long record has its prompts shortened.
 * Reading stops at SOS (start of scan) or at the first malformed marker, with what it found.
 */
import type { AigcLabel, GenerationRecord } from './record';
import { type ByteSource, readUint16BE } from './byte-source';
import { toEmbeddableJson } from './aigc-label';
import { buildXmpPacket } from './xmp';

const XMP_HEADER = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
/** The segment length field (≤ 65535) counts its own two bytes. */
const MAX_SEGMENT_PAYLOAD = 65_533;
export const MAX_XMP_BYTES = MAX_SEGMENT_PAYLOAD - XMP_HEADER.length;
const MAX_SEGMENTS = 1024;
const MAX_XMP_PACKETS = 4;
const APP0 = 0xe0;
const APP1 = 0xe1;
const SOS = 0xda;
const EOI = 0xd9;

export interface JpegScan {
  readonly width?: number;
  readonly height?: number;
  /** Standard XMP packets (APP1 with the Adobe XMP header), in file order. */
  readonly xmpPackets: readonly string[];
  /** Where our segment goes: after SOI and the leading run of APP0/APP1 segments. */
  readonly insertAt: number;
}

/** SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers that stand alone, without a length: TEM and RST0..RST7. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

export async function scanJpeg(source: ByteSource): Promise<JpegScan | undefined> {
  const soi = await source.read(0, 2);
  if (soi.length < 2 || soi[0] !== 0xff || soi[1] !== 0xd8) return undefined;
  const xmpPackets: string[] = [];
  let width: number | undefined;
  let height: number | undefined;
  let insertAt = 2;
  let leading = true;
  let position = 2;
  for (let count = 0; count < MAX_SEGMENTS && position + 4 <= source.size; count++) {
    const header = await source.read(position, 4);
    if (header[0] !== 0xff) break;
    const marker = header[1];
    if (marker === 0xff) {
      position += 1; // a fill byte before the marker
      continue;
    }
    if (isStandalone(marker)) {
      position += 2;
      leading = false;
      continue;
    }
    if (marker === SOS || marker === EOI) break;
    const length = readUint16BE(header, 2);
    if (length < 2 || position + 2 + length > source.size) break;
    const payloadAt = position + 4;
    const payloadLength = length - 2;
    if (marker === APP1 && payloadLength > XMP_HEADER.length && xmpPackets.length < MAX_XMP_PACKETS) {
      const payload = Buffer.from(await source.read(payloadAt, payloadLength));
      if (payload.subarray(0, XMP_HEADER.length).equals(XMP_HEADER)) xmpPackets.push(payload.toString('utf8', XMP_HEADER.length));
    } else if (isStartOfFrame(marker) && payloadLength >= 5) {
      const frame = await source.read(payloadAt, 5);
      height = readUint16BE(frame, 1);
      width = readUint16BE(frame, 3);
    }
    position += 2 + length;
    if (leading && (marker === APP0 || marker === APP1)) insertAt = position;
    else leading = false;
  }
  return { width, height, xmpPackets, insertAt };
}

export function xmpSegment(packet: string): Buffer {
  const body = Buffer.from(packet, 'utf8');
  if (body.length > MAX_XMP_BYTES) throw new RangeError(`XMP packet of ${body.length} bytes exceeds one JPEG segment`);
  const segment = Buffer.alloc(4 + XMP_HEADER.length + body.length);
  segment[0] = 0xff;
  segment[1] = APP1;
  segment.writeUInt16BE(2 + XMP_HEADER.length + body.length, 2);
  XMP_HEADER.copy(segment, 4);
  body.copy(segment, 4 + XMP_HEADER.length);
  return segment;
}

const SHORTENABLE = ['prompt', 'negativePrompt', 'revisedPrompt'] as const;
const ELLIPSIS = '…';

/**
 * Our XMP packet, within one segment: when the record is too long (prompts can be 8,192
 * characters, and escaping can multiply a character's bytes), the longest prompt field is cut at
 * a code-point boundary and ends with "…" until the packet fits. Each removed character frees at
 * least one byte, so cutting the excess plus the ellipsis converges in a few steps.
 */
export function fittedXmpPacket(record: GenerationRecord, label?: AigcLabel): string {
  const fields: Record<string, unknown> = { ...record };
  for (;;) {
    const packet = buildXmpPacket(toEmbeddableJson(fields), label);
    const excess = Buffer.byteLength(packet, 'utf8') - MAX_XMP_BYTES;
    if (excess <= 0) return packet;
    const longest = SHORTENABLE.map((key) => ({ key, chars: typeof fields[key] === 'string' ? Array.from(fields[key] as string) : [] }))
      .filter((field) => field.chars.length > 0)
      .sort((a, b) => b.chars.length - a.chars.length)[0];
    if (!longest) throw new RangeError('The generation record does not fit in a JPEG XMP segment');
    const keep = Math.max(0, longest.chars.length - excess - ELLIPSIS.length * 3);
    fields[longest.key] = keep > 0 ? longest.chars.slice(0, keep).join('') + ELLIPSIS : '';
  }
}
