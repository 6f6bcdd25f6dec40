// The simulated cloud's picture maker must produce real, valid image files that differ
// visibly by prompt and are byte-for-byte reproducible.
import * as assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import * as jpeg from 'jpeg-js';
import { drawImage, type DrawOptions } from '../fake-cloud/draw';

// An independent CRC-32 (the PNG/zlib polynomial) so the encoder's CRCs are checked against
// something other than the function it uses itself.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function referenceCrc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface PngChunk {
  type: string;
  data: Buffer;
}

/** Splits a PNG into chunks, asserting the signature and every chunk's CRC on the way. */
function readPngChunks(file: Buffer): PngChunk[] {
  assert.deepEqual([...file.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    const storedCrc = file.readUInt32BE(offset + 8 + length);
    assert.equal(storedCrc, referenceCrc32(file.subarray(offset + 4, offset + 8 + length)), `CRC of ${type}`);
    chunks.push({ type, data });
    offset += 12 + length;
  }
  assert.equal(offset, file.length, 'chunks end exactly at the end of the file');
  return chunks;
}

interface Pixels {
  width: number;
  height: number;
  rgb: Uint8Array; // 3 bytes per pixel, row after row
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** A minimal decoder for 8-bit RGB, non-interlaced PNGs, checking the structure as it goes. */
function decodePng(file: Buffer): Pixels {
  const chunks = readPngChunks(file);
  assert.equal(chunks[0]?.type, 'IHDR', 'IHDR comes first');
  assert.equal(chunks.at(-1)?.type, 'IEND', 'IEND comes last');
  assert.equal(chunks.at(-1)?.data.length, 0, 'IEND is empty');
  const header = chunks[0]!.data;
  assert.equal(header.length, 13);
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  assert.deepEqual([...header.subarray(8)], [8, 2, 0, 0, 0], 'bit depth 8, RGB, deflate, adaptive filters, no interlace');

  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = 1 + 3 * width;
  assert.equal(raw.length, height * stride, 'IDAT inflates to height * (1 + 3 * width) bytes');

  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * stride]!;
    assert.ok(filter <= 4, `row ${y} has a valid filter type`);
    for (let i = 0; i < 3 * width; i++) {
      const out = y * 3 * width + i;
      const left = i >= 3 ? rgb[out - 3]! : 0;
      const up = y > 0 ? rgb[out - 3 * width]! : 0;
      const upLeft = y > 0 && i >= 3 ? rgb[out - 3 * width - 3]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter]!;
      rgb[out] = (raw[y * stride + 1 + i]! + predictor) & 0xff;
    }
  }
  return { width, height, rgb };
}

function decodeJpeg(file: Buffer): Pixels {
  const { width, height, data } = jpeg.decode(file, { useTArray: true, formatAsRGBA: false });
  return { width, height, rgb: data };
}

/** Fraction of pixels whose colour differs by more than `tolerance` in some channel. */
function fractionDiffering(a: Pixels, b: Pixels, tolerance = 24): number {
  assert.equal(a.rgb.length, b.rgb.length);
  let differing = 0;
  for (let i = 0; i < a.rgb.length; i += 3) {
    if (
      Math.abs(a.rgb[i]! - b.rgb[i]!) > tolerance ||
      Math.abs(a.rgb[i + 1]! - b.rgb[i + 1]!) > tolerance ||
      Math.abs(a.rgb[i + 2]! - b.rgb[i + 2]!) > tolerance
    ) {
      differing++;
    }
  }
  return differing / (a.rgb.length / 3);
}

function distinctColours(p: Pixels): number {
  const seen = new Set<number>();
  for (let i = 0; i < p.rgb.length; i += 3) seen.add((p.rgb[i]! << 16) | (p.rgb[i + 1]! << 8) | p.rgb[i + 2]!);
  return seen.size;
}

function png(prompt: string, width: number, height: number, seed?: number): Buffer {
  return drawImage({ prompt, width, height, format: 'png', seed });
}

describe('fake-cloud drawImage', () => {
  describe('PNG', () => {
    it('is a valid PNG of exactly the requested size', () => {
      for (const [width, height] of [
        [1024, 1024],
        [160, 90],
        [90, 160],
        [1, 1],
        [7, 3],
        [2048, 2048],
      ] as const) {
        const pixels = decodePng(png('a lighthouse on a cliff', width, height));
        assert.equal(pixels.width, width);
        assert.equal(pixels.height, height);
      }
    });

    it('draws a picture, not noise: several colours, and it compresses well', () => {
      const file = png('a lighthouse on a cliff', 1024, 1024);
      const pixels = decodePng(file);
      assert.ok(distinctColours(pixels) >= 8, 'more than a flat fill');
      assert.ok(file.length < (1024 * 1024 * 3) / 10, `compressed to ${file.length} bytes, under a tenth of the raw size`);
    });
  });

  describe('JPEG', () => {
    it('decodes with jpeg-js to the requested size, and shows the same picture as the PNG', () => {
      for (const [width, height] of [
        [1024, 768],
        [160, 90],
        [1, 1],
      ] as const) {
        const options: DrawOptions = { prompt: 'a lighthouse on a cliff', width, height, format: 'jpeg' };
        const file = drawImage(options);
        assert.deepEqual([...file.subarray(0, 2)], [0xff, 0xd8], 'JPEG SOI marker');
        const decoded = decodeJpeg(file);
        assert.equal(decoded.width, width);
        assert.equal(decoded.height, height);
        // Lossy, but the same scene: only hard edges may stray noticeably.
        const reference = decodePng(drawImage({ ...options, format: 'png' }));
        assert.ok(fractionDiffering(decoded, reference, 40) < 0.05, 'JPEG matches the PNG rendering');
      }
    });
  });

  describe('determinism and variety', () => {
    it('gives identical bytes for identical inputs', () => {
      for (const format of ['png', 'jpeg'] as const) {
        const options: DrawOptions = { prompt: 'misty bamboo forest', width: 320, height: 240, format, seed: 7 };
        assert.ok(drawImage(options).equals(drawImage({ ...options })), format);
      }
    });

    it('gives visibly different pictures for different prompts', () => {
      const prompts = ['a red fox in the snow', 'a quiet mountain lake at dawn', 'neon city street at night', 'a bowl of ramen', 'sunflowers'];
      const pictures = prompts.map((prompt) => decodePng(png(prompt, 256, 256)));
      for (let i = 0; i < pictures.length; i++) {
        for (let j = i + 1; j < pictures.length; j++) {
          const fraction = fractionDiffering(pictures[i]!, pictures[j]!);
          assert.ok(fraction > 0.3, `"${prompts[i]}" vs "${prompts[j]}": only ${(fraction * 100).toFixed(1)}% of pixels differ`);
        }
      }
    });

    it('gives a different picture for a different seed of the same prompt', () => {
      const a = decodePng(png('a red fox in the snow', 256, 256, 1));
      const b = decodePng(png('a red fox in the snow', 256, 256, 2));
      assert.ok(fractionDiffering(a, b) > 0.3);
    });

    it('draws CJK and emoji prompts, and tells them apart', () => {
      const prompts = ['水墨山水画，远山如黛', '赛博朋克风格的城市夜景 🌃🚀', '👨‍👩‍👧 🐱', '\uD83D broken surrogate', '', '   '];
      const pictures = prompts.map((prompt) => decodePng(png(prompt, 200, 150)));
      for (const picture of pictures) assert.equal(picture.rgb.length, 200 * 150 * 3);
      assert.ok(fractionDiffering(pictures[0]!, pictures[1]!) > 0.3);
      assert.ok(decodeJpeg(drawImage({ prompt: prompts[1]!, width: 200, height: 150, format: 'jpeg' })).width === 200);
    });
  });

  describe('bad requests', () => {
    it('rejects sides that are not integers from 1 to 8192', () => {
      for (const bad of [0, -1, 8193, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.throws(() => png('x', bad, 64), /width must be an integer from 1 to 8192/, `width ${bad}`);
        assert.throws(() => png('x', 64, bad), /height must be an integer from 1 to 8192/, `height ${bad}`);
      }
    });

    it('accepts the largest side on a thin strip', () => {
      assert.equal(decodePng(png('a long horizon', 8192, 2)).width, 8192);
    });

    it('rejects unknown formats', () => {
      const options = { prompt: 'x', width: 64, height: 64, format: 'gif' } as unknown as DrawOptions;
      assert.throws(() => drawImage(options), /format must be 'png' or 'jpeg'/);
    });
  });

  it('reports how long a 1024×1024 picture takes (information, not an assertion)', () => {
    for (const format of ['png', 'jpeg'] as const) {
      const started = performance.now();
      const file = drawImage({ prompt: 'benchmark: a harbour at sunset', width: 1024, height: 1024, format });
      const elapsed = performance.now() - started;
      console.log(`      1024×1024 ${format}: ${elapsed.toFixed(1)} ms, ${(file.length / 1024).toFixed(1)} KiB`);
      assert.ok(file.length > 0);
    }
  });
});
