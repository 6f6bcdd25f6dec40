/**
 * Just enough of a TrueType reader to check a font subset against the font it came from: which
 * code points it maps (cmap format 4, where the codicons live), each glyph's outline bytes and
 * advance, and the vertical metrics that place a glyph on the line. Written from the OpenType spec
 * (https://learn.microsoft.com/typography/opentype/spec/), independent of the subsetter it checks.
 */
export class TrueTypeFont {
  private readonly tables = new Map<string, Buffer>();

  constructor(data: Buffer) {
    const count = data.readUInt16BE(4);
    for (let i = 0; i < count; i++) {
      const record = 12 + 16 * i;
      const offset = data.readUInt32BE(record + 8);
      this.tables.set(data.toString('latin1', record, record + 4), data.subarray(offset, offset + data.readUInt32BE(record + 12)));
    }
  }

  table(tag: string): Buffer {
    const table = this.tables.get(tag);
    if (!table) throw new Error(`the font has no '${tag}' table`);
    return table;
  }

  get unitsPerEm(): number {
    return this.table('head').readUInt16BE(18);
  }

  /** hhea ascender and descender: where the baseline sits in the line box. */
  get verticalMetrics(): { ascender: number; descender: number; lineGap: number } {
    const hhea = this.table('hhea');
    return { ascender: hhea.readInt16BE(4), descender: hhea.readInt16BE(6), lineGap: hhea.readInt16BE(8) };
  }

  /** Every code point the Unicode BMP cmap maps to a glyph (0xFFFF, the end marker, excluded). */
  codePoints(): number[] {
    const points: number[] = [];
    const { segments } = this.bmpMap();
    for (const segment of segments) {
      for (let code = segment.start; code <= segment.end && code !== 0xffff; code++) if (this.glyphId(code) !== 0) points.push(code);
    }
    return points;
  }

  /** The glyph a code point maps to; 0 (.notdef) when it maps to none. */
  glyphId(code: number): number {
    const { subtable, segments } = this.bmpMap();
    const segment = segments.find((s) => code >= s.start && code <= s.end);
    if (!segment) return 0;
    if (segment.rangeOffset === 0) return (code + segment.delta) & 0xffff;
    const glyph = subtable.readUInt16BE(segment.rangeOffsetAt + segment.rangeOffset + 2 * (code - segment.start));
    return glyph === 0 ? 0 : (glyph + segment.delta) & 0xffff;
  }

  /** A glyph's outline as stored in 'glyf' (empty for a glyph that draws nothing). */
  outline(glyph: number): Buffer {
    const longOffsets = this.table('head').readInt16BE(50) === 1;
    const loca = this.table('loca');
    const at = (i: number) => (longOffsets ? loca.readUInt32BE(4 * i) : 2 * loca.readUInt16BE(2 * i));
    return this.table('glyf').subarray(at(glyph), at(glyph + 1));
  }

  advance(glyph: number): number {
    const metrics = this.table('hhea').readUInt16BE(34);
    return this.table('hmtx').readUInt16BE(4 * Math.min(glyph, metrics - 1));
  }

  private bmpMap() {
    const cmap = this.table('cmap');
    for (let i = 0; i < cmap.readUInt16BE(2); i++) {
      const platform = cmap.readUInt16BE(4 + 8 * i);
      const encoding = cmap.readUInt16BE(6 + 8 * i);
      const subtable = cmap.subarray(cmap.readUInt32BE(8 + 8 * i));
      // Unicode BMP: Windows (3, 1) or Unicode platform (0, 3); format 4 either way.
      if (!((platform === 3 && encoding === 1) || (platform === 0 && encoding === 3)) || subtable.readUInt16BE(0) !== 4) continue;
      const segCount = subtable.readUInt16BE(6) / 2;
      const ends = 14;
      const starts = ends + 2 * segCount + 2;
      const deltas = starts + 2 * segCount;
      const rangeOffsets = deltas + 2 * segCount;
      const segments = Array.from({ length: segCount }, (_, s) => ({
        end: subtable.readUInt16BE(ends + 2 * s),
        start: subtable.readUInt16BE(starts + 2 * s),
        delta: subtable.readInt16BE(deltas + 2 * s),
        rangeOffset: subtable.readUInt16BE(rangeOffsets + 2 * s),
        rangeOffsetAt: rangeOffsets + 2 * s,
      }));
      return { subtable, segments };
    }
    throw new Error('the font has no Unicode BMP cmap (format 4)');
  }
}
