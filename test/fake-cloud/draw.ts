// The simulated cloud's picture maker: turns a prompt into a real PNG or JPEG file.
//
// Every picture is a small landscape whose every choice (palette, day or night, sun or moon,
// clouds, mountain ridges, lake or fields) comes from a hash of the prompt and seed, so
// different prompts give visibly different pictures and the same inputs give identical bytes.
// The prompt's characters are also drawn as blocky glyphs in a caption strip, which makes
// similar prompts distinguishable at a glance in galleries and screenshots.
//
// Speed matters more than beauty: the cloud draws one picture per job and benchmarks run
// many jobs, so everything is flat colours and row-wise gradients (cheap to paint, and they
// deflate well) with no per-pixel noise.
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import * as jpeg from 'jpeg-js';

export interface DrawOptions {
  prompt: string;
  width: number;
  height: number;
  format: 'png' | 'jpeg';
  seed?: number;
  /**
   * PNG only: no compression (deflate's stored blocks) in IDAT chunks of PNG_STORED_IDAT_BYTES, so
   * the file weighs what the pixels do (about width × height × 3 bytes) — the size of the largest
   * real results, which are photographs that deflate hardly at all. The `stored-png` switch.
   */
  stored?: boolean;
}

const MAX_SIDE = 8192;
const JPEG_QUALITY = 85;
const PNG_DEFLATE_LEVEL = 6;
/** IDAT size of stored PNGs: what photo-sized encoders write (Pillow: 64 KB) rather than one giant chunk. */
const PNG_STORED_IDAT_BYTES = 64 * 1024;

export function drawImage(options: DrawOptions): Buffer {
  const { width, height, format } = options;
  assertSide('width', width);
  assertSide('height', height);
  // Callers pass values decoded from JSON requests, so the union type alone is no guarantee.
  if (format !== 'png' && format !== 'jpeg') {
    throw new Error(`drawImage: format must be 'png' or 'jpeg', got ${JSON.stringify(format)}`);
  }
  const canvas = new Canvas(width, height);
  paintLandscape(canvas, new Rng(sceneDigest(options.prompt, options.seed)));
  paintCaption(canvas, options.prompt);
  return format === 'png' ? encodePng(canvas, options.stored === true) : encodeJpeg(canvas);
}

function assertSide(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE) {
    throw new Error(`drawImage: ${name} must be an integer from 1 to ${MAX_SIDE}, got ${value}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Canvas: RGB pixels stored directly in PNG scanline layout (one filter byte, then 3 bytes per
// pixel, per row), so the PNG encoder can deflate the buffer as it is, without a copy.

type Rgb = readonly [number, number, number];

class Canvas {
  readonly stride: number;
  readonly scanlines: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.stride = 1 + 3 * width;
    // Zero-filled, so every row's filter byte is already 0 (None).
    this.scanlines = Buffer.alloc(this.stride * height);
  }

  /** Paints pixels x0..x1-1 of row y; out-of-range parts are clipped. Coordinates are integers. */
  fillSpan(y: number, x0: number, x1: number, color: Rgb): void {
    if (y < 0 || y >= this.height) return;
    const from = Math.max(0, x0);
    const to = Math.min(this.width, x1);
    const p = this.scanlines;
    for (let i = y * this.stride + 1 + 3 * from, end = y * this.stride + 1 + 3 * to; i < end; i += 3) {
      p[i] = color[0];
      p[i + 1] = color[1];
      p[i + 2] = color[2];
    }
  }

  /** Mixes `color` over pixels x0..x1-1 of row y with opacity alpha (0..1). */
  blendSpan(y: number, x0: number, x1: number, color: Rgb, alpha: number): void {
    if (y < 0 || y >= this.height || alpha <= 0) return;
    const from = Math.max(0, x0);
    const to = Math.min(this.width, x1);
    const keep = 1 - alpha;
    const r = color[0] * alpha;
    const g = color[1] * alpha;
    const b = color[2] * alpha;
    const p = this.scanlines;
    for (let i = y * this.stride + 1 + 3 * from, end = y * this.stride + 1 + 3 * to; i < end; i += 3) {
      p[i] = p[i]! * keep + r;
      p[i + 1] = p[i + 1]! * keep + g;
      p[i + 2] = p[i + 2]! * keep + b;
    }
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    for (let row = Math.max(0, y); row < Math.min(this.height, y + h); row++) this.fillSpan(row, x, x + w, color);
  }

  /** Fills the vertical run y0..y1-1 of column x. */
  fillColumn(x: number, y0: number, y1: number, color: Rgb): void {
    if (x < 0 || x >= this.width) return;
    const p = this.scanlines;
    const to = Math.min(this.height, y1);
    for (let y = Math.max(0, y0), i = y * this.stride + 1 + 3 * x; y < to; y++, i += this.stride) {
      p[i] = color[0];
      p[i + 1] = color[1];
      p[i + 2] = color[2];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: SHA-256 of (seed, prompt) seeds a xorshift128 generator.

function sceneDigest(prompt: string, seed: number | undefined): Buffer {
  return createHash('sha256').update(`${seed ?? ''}\u0000${prompt}`, 'utf8').digest();
}

class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(digest: Buffer) {
    this.s0 = digest.readUInt32LE(0);
    this.s1 = digest.readUInt32LE(4);
    this.s2 = digest.readUInt32LE(8);
    // xorshift128 must never hold an all-zero state.
    this.s3 = digest.readUInt32LE(12) || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = this.s3;
    const s = this.s0;
    this.s3 = this.s2;
    this.s2 = this.s1;
    this.s1 = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.s0 = (t ^ s ^ (s >>> 19)) >>> 0;
    return this.s0 / 4294967296;
  }

  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, maxInclusive: number): number {
    return Math.floor(this.range(min, maxInclusive + 1));
  }
}

// ---------------------------------------------------------------------------------------------
// Colour helpers.

function hsl(hueDegrees: number, saturation: number, lightness: number): Rgb {
  const h = (((hueDegrees % 360) + 360) % 360) / 60;
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = chroma * (1 - Math.abs((h % 2) - 1));
  const m = lightness - chroma / 2;
  const [r, g, b] =
    h < 1 ? [chroma, x, 0] : h < 2 ? [x, chroma, 0] : h < 3 ? [0, chroma, x] : h < 4 ? [0, x, chroma] : h < 5 ? [x, 0, chroma] : [chroma, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
}

// ---------------------------------------------------------------------------------------------
// The landscape.

interface Palette {
  night: boolean;
  skyTop: Rgb;
  skyHorizon: Rgb;
  light: Rgb; // the sun or moon
  mountain: Rgb; // the nearest ridge; farther ridges fade towards the horizon colour
  snow: Rgb;
  water: Rgb;
  fields: [Rgb, Rgb, Rgb];
}

function choosePalette(rng: Rng): Palette {
  const hue = rng.range(0, 360);
  const night = rng.next() < 0.3;
  const mountainHue = hue + rng.range(140, 220);
  const fieldHue = rng.range(60, 150); // greens to yellows, whatever the sky
  return {
    night,
    skyTop: night ? hsl(hue, 0.55, 0.07) : hsl(hue, rng.range(0.45, 0.75), rng.range(0.35, 0.5)),
    skyHorizon: night ? hsl(hue + 30, 0.45, 0.3) : hsl(hue + rng.range(20, 60), 0.75, rng.range(0.72, 0.85)),
    light: night ? hsl(hue + 180, 0.3, 0.9) : hsl(rng.range(30, 60), 1, 0.88),
    mountain: hsl(mountainHue, rng.range(0.25, 0.5), night ? 0.1 : rng.range(0.18, 0.28)),
    snow: night ? hsl(hue, 0.2, 0.75) : [248, 250, 252],
    water: hsl(hue + rng.range(-20, 20), 0.55, night ? 0.1 : 0.3),
    fields: [
      hsl(fieldHue, 0.5, night ? 0.12 : 0.42),
      hsl(fieldHue + 25, 0.55, night ? 0.16 : 0.52),
      hsl(fieldHue - 25, 0.45, night ? 0.09 : 0.34),
    ],
  };
}

function paintLandscape(canvas: Canvas, rng: Rng): void {
  const palette = choosePalette(rng);
  const horizon = Math.round(canvas.height * rng.range(0.55, 0.72));
  for (let y = 0; y < horizon; y++) canvas.fillSpan(y, 0, canvas.width, mix(palette.skyTop, palette.skyHorizon, y / horizon));
  if (palette.night) paintStars(canvas, rng, horizon);
  paintSunOrMoon(canvas, rng, palette, horizon);
  if (!palette.night) paintClouds(canvas, rng, horizon);
  paintMountains(canvas, rng, palette, horizon);
  if (rng.next() < 0.5) paintLake(canvas, rng, palette, horizon);
  else paintFields(canvas, rng, palette, horizon);
}

function paintStars(canvas: Canvas, rng: Rng, horizon: number): void {
  const size = Math.max(1, Math.floor(Math.min(canvas.width, canvas.height) / 400));
  const count = Math.round((canvas.width * horizon) / 3000);
  for (let i = 0; i < count; i++) {
    const brightness = rng.int(150, 255);
    canvas.fillRect(rng.int(0, canvas.width - 1), rng.int(0, horizon - 1), size, size, [brightness, brightness, Math.min(255, brightness + 20)]);
  }
}

const HALO_RINGS = 6;

function paintSunOrMoon(canvas: Canvas, rng: Rng, palette: Palette, horizon: number): void {
  const short = Math.min(canvas.width, canvas.height);
  const radius = Math.max(1, Math.round(short * rng.range(0.05, 0.1)));
  const cx = Math.round(canvas.width * rng.range(0.15, 0.85));
  const cy = Math.round(horizon * rng.range(0.2, 0.6));

  // A soft halo: concentric translucent discs, so opacity builds up towards the centre
  // with only a few blended spans per row instead of a per-pixel distance computation.
  const halo = radius * 3;
  for (let y = cy - halo; y <= cy + halo; y++) {
    for (let ring = HALO_RINGS; ring >= 1; ring--) {
      const r = radius + ((halo - radius) * ring) / HALO_RINGS;
      const dy = y - cy;
      if (Math.abs(dy) > r) continue;
      const half = Math.round(Math.sqrt(r * r - dy * dy));
      canvas.blendSpan(y, cx - half, cx + half, palette.light, palette.night ? 0.035 : 0.06);
    }
  }
  if (!palette.night) {
    paintDisc(canvas, cx, cy, radius, palette.light);
    return;
  }
  // A crescent: the moon's disc minus an offset disc, so the halo stays visible in the gap.
  const bx = cx + Math.round(radius * 0.45);
  const by = cy - Math.round(radius * 0.25);
  for (let dy = -radius; dy <= radius; dy++) {
    const half = Math.round(Math.sqrt(radius * radius - dy * dy));
    const biteDy = cy + dy - by;
    if (Math.abs(biteDy) > radius) {
      canvas.fillSpan(cy + dy, cx - half, cx + half, palette.light);
      continue;
    }
    const biteHalf = Math.round(Math.sqrt(radius * radius - biteDy * biteDy));
    canvas.fillSpan(cy + dy, cx - half, Math.min(cx + half, bx - biteHalf), palette.light);
    canvas.fillSpan(cy + dy, Math.max(cx - half, bx + biteHalf), cx + half, palette.light);
  }
}

function paintDisc(canvas: Canvas, cx: number, cy: number, radius: number, color: Rgb): void {
  for (let dy = -radius; dy <= radius; dy++) {
    const half = Math.round(Math.sqrt(radius * radius - dy * dy));
    canvas.fillSpan(cy + dy, cx - half, cx + half, color);
  }
}

/** Clouds are clusters of flat, translucent ellipses, drawn one row span at a time. */
function paintClouds(canvas: Canvas, rng: Rng, horizon: number): void {
  const white: Rgb = [255, 255, 255];
  const clusters = rng.int(1, 4);
  for (let c = 0; c < clusters; c++) {
    const cx = canvas.width * rng.range(0, 1);
    const cy = horizon * rng.range(0.1, 0.7);
    const width = canvas.width * rng.range(0.12, 0.3);
    for (let puff = 0; puff < 3; puff++) {
      const px = cx + width * rng.range(-0.5, 0.5);
      const py = cy + width * rng.range(-0.08, 0.05);
      const a = width * rng.range(0.25, 0.5);
      const b = Math.max(1, a * rng.range(0.2, 0.35));
      for (let y = Math.ceil(py - b); y <= py + b; y++) {
        const t = (y - py) / b;
        const half = a * Math.sqrt(Math.max(0, 1 - t * t));
        canvas.blendSpan(y, Math.round(px - half), Math.round(px + half), white, 0.55);
      }
    }
  }
}

/** Triangle wave in [0, 1] with period 1: sharp peaks, the shape of a ridge line. */
function ridgeWave(t: number): number {
  return 1 - 2 * Math.abs(t - Math.floor(t) - 0.5);
}

function paintMountains(canvas: Canvas, rng: Rng, palette: Palette, horizon: number): void {
  const layers = 3;
  for (let layer = 0; layer < layers; layer++) {
    const nearness = layer / (layers - 1); // 0 = farthest
    const color = mix(palette.skyHorizon, palette.mountain, 0.45 + 0.55 * nearness);
    const base = horizon - canvas.height * (0.06 + 0.04 * (1 - nearness));
    const amplitude = canvas.height * rng.range(0.12, 0.22) * (1 - 0.35 * nearness);
    const f1 = rng.range(0.8, 2.5);
    const f2 = rng.range(3, 7);
    const f3 = rng.range(0.3, 0.9);
    const p1 = rng.next();
    const p2 = rng.next();
    const p3 = rng.range(0, 2 * Math.PI);
    const snowLine = layer === 0 ? base - amplitude * rng.range(0.6, 0.85) : -Infinity;
    for (let x = 0; x < canvas.width; x++) {
      const u = x / canvas.width;
      const shape = 0.6 * ridgeWave(u * f1 + p1) + 0.25 * ridgeWave(u * f2 + p2) + 0.15 * (0.5 + 0.5 * Math.sin(u * f3 * 2 * Math.PI + p3));
      const top = Math.round(base - amplitude * shape);
      if (top < snowLine) {
        const snowBottom = Math.round(snowLine);
        canvas.fillColumn(x, top, snowBottom, palette.snow);
        canvas.fillColumn(x, snowBottom, horizon, color);
      } else {
        canvas.fillColumn(x, top, horizon, color);
      }
    }
  }
}

/** A lake mirrors the sky and mountains above the horizon, darkened with depth, plus ripples. */
function paintLake(canvas: Canvas, rng: Rng, palette: Palette, horizon: number): void {
  const { scanlines, stride, height, width } = canvas;
  for (let y = horizon; y < height; y++) {
    const mirrored = Math.max(0, 2 * horizon - y - 1);
    scanlines.copy(scanlines, y * stride + 1, mirrored * stride + 1, (mirrored + 1) * stride);
    const depth = (y - horizon) / Math.max(1, height - horizon);
    canvas.blendSpan(y, 0, width, palette.water, 0.35 + 0.45 * depth);
  }
  const rippleHeight = Math.max(1, Math.round(height / 300));
  const ripples = Math.round(((height - horizon) * width) / 6000);
  for (let i = 0; i < ripples; i++) {
    const y = rng.int(horizon, height - 1);
    const length = Math.round(width * rng.range(0.02, 0.12));
    const x = rng.int(-length, width - 1);
    for (let dy = 0; dy < rippleHeight; dy++) canvas.blendSpan(y + dy, x, x + length, palette.skyHorizon, 0.3);
  }
}

/** Fields are wavy bands that grow taller towards the viewer, alternating three greens. */
function paintFields(canvas: Canvas, rng: Rng, palette: Palette, horizon: number): void {
  const depth = canvas.height - horizon;
  const bands = rng.int(4, 8);
  const waviness = depth * rng.range(0.01, 0.04);
  const frequency = rng.range(1, 4) * 2 * Math.PI;
  const edge = (band: number, x: number): number => {
    if (band === 0) return horizon;
    if (band === bands) return canvas.height;
    const phase = band * 1.7;
    return Math.round(horizon + depth * (band / bands) ** 1.6 + waviness * Math.sin((x / canvas.width) * frequency + phase));
  };
  for (let band = 0; band < bands; band++) {
    const color = palette.fields[band % palette.fields.length]!;
    for (let x = 0; x < canvas.width; x++) canvas.fillColumn(x, edge(band, x), edge(band + 1, x), color);
  }
}

// ---------------------------------------------------------------------------------------------
// The caption: the prompt's characters as blocky 3×5 glyphs. Each glyph is a hash of the code
// point (a made-up "font"), so equal characters look equal and no font file is needed.

const GLYPH_COLUMNS = 3;
const GLYPH_ROWS = 5;
const CAPTION_LINES = 2;

function glyphBits(codePoint: number): number {
  let hash = Math.imul(codePoint ^ 0x811c9dc5, 0x01000193);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0x5bd1e995);
  hash ^= hash >>> 15;
  // Always light the middle column's top and bottom so no glyph comes out blank.
  return (hash & 0x7fff) | 0b010_000_000_000_010;
}

function paintCaption(canvas: Canvas, prompt: string): void {
  const cell = Math.max(1, Math.floor(Math.min(canvas.width, canvas.height) / 150));
  const advance = (GLYPH_COLUMNS + 1) * cell;
  const lineHeight = (GLYPH_ROWS + 2) * cell;
  const margin = 2 * cell;
  const perLine = Math.floor((canvas.width - 2 * margin) / advance);
  const barHeight = CAPTION_LINES * lineHeight + 2 * cell;
  const characters = Array.from(prompt.trim());
  // Tiny pictures keep at least three quarters of their height for the landscape.
  if (perLine < 1 || characters.length === 0 || barHeight > canvas.height / 4) return;

  const lines = Math.min(CAPTION_LINES, Math.ceil(characters.length / perLine));
  const barTop = canvas.height - margin - lines * lineHeight - 2 * cell;
  for (let y = barTop; y < canvas.height - margin; y++) canvas.blendSpan(y, margin, canvas.width - margin, [0, 0, 0], 0.5);

  const ink: Rgb = [245, 245, 240];
  for (let i = 0; i < Math.min(characters.length, lines * perLine); i++) {
    const codePoint = characters[i]!.codePointAt(0)!;
    if (/\s/u.test(characters[i]!)) continue;
    const bits = glyphBits(codePoint);
    const left = margin + cell + (i % perLine) * advance;
    const top = barTop + 2 * cell + Math.floor(i / perLine) * lineHeight;
    for (let row = 0; row < GLYPH_ROWS; row++) {
      for (let column = 0; column < GLYPH_COLUMNS; column++) {
        if (bits & (1 << (row * GLYPH_COLUMNS + column))) canvas.fillRect(left + column * cell, top + row * cell, cell, cell, ink);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Encoders.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_BIT_DEPTH = 8;
const PNG_COLOR_TYPE_RGB = 2;

function encodePng(canvas: Canvas, stored: boolean): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(canvas.width, 0);
  header.writeUInt32BE(canvas.height, 4);
  header[8] = PNG_BIT_DEPTH;
  header[9] = PNG_COLOR_TYPE_RGB;
  // Bytes 10..12 (compression, filter method, interlace) are all 0: deflate, adaptive, none.
  const compressed = deflateSync(canvas.scanlines, { level: stored ? 0 : PNG_DEFLATE_LEVEL });
  const idatSize = stored ? PNG_STORED_IDAT_BYTES : compressed.length;
  const idat: Buffer[] = [];
  for (let offset = 0; offset < compressed.length; offset += idatSize) idat.push(pngChunk('IDAT', compressed.subarray(offset, offset + idatSize)));
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), ...idat, pngChunk('IEND', Buffer.alloc(0))]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  data.copy(chunk, 8);
  // The CRC covers the chunk type and data, not the length.
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

function encodeJpeg(canvas: Canvas): Buffer {
  const { width, height, stride, scanlines } = canvas;
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0, o = 0; y < height; y++) {
    for (let i = y * stride + 1, end = i + 3 * width; i < end; i += 3, o += 4) {
      rgba[o] = scanlines[i]!;
      rgba[o + 1] = scanlines[i + 1]!;
      rgba[o + 2] = scanlines[i + 2]!;
      rgba[o + 3] = 255;
    }
  }
  return jpeg.encode({ data: rgba, width, height }, JPEG_QUALITY).data;
}
