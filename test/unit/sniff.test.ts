import * as assert from 'node:assert/strict';
import * as jpeg from 'jpeg-js';
import { inflateSync } from 'node:zlib';
import { FORMAT_INFO, readImageSize, sniffFormat, sniffImage } from '../../src/core/images/sniff';
import { makeBmp, makeGif, makeJpeg, makePng, makeTiff, makeWebpExtended, makeWebpLossless, makeWebpLossy } from './fixtures/images';

describe('sniff: image format and size from the header', () => {
  it('the fixtures are real images: the JPEG decodes and the PNG pixels inflate to the stated size', () => {
    const decoded = jpeg.decode(Buffer.from(makeJpeg(33, 17)));
    assert.deepEqual([decoded.width, decoded.height], [33, 17]);
    const png = Buffer.from(makePng(9, 4));
    const idatLength = png.readUInt32BE(33);
    assert.equal(png.toString('latin1', 37, 41), 'IDAT');
    assert.equal(inflateSync(png.subarray(41, 41 + idatLength)).length, (9 * 3 + 1) * 4, 'RGB rows of 9 pixels plus a filter byte');
  });

  it('reads the exact width and height of every format and variant', () => {
    assert.deepEqual(sniffImage(makePng(640, 480)), { format: 'png', width: 640, height: 480 });
    assert.deepEqual(sniffImage(makeJpeg(123, 45)), { format: 'jpeg', width: 123, height: 45 });
    assert.deepEqual(sniffImage(makeBmp(77, 31)), { format: 'bmp', width: 77, height: 31 });
    assert.deepEqual(sniffImage(makeBmp(77, 31, true)), { format: 'bmp', width: 77, height: 31 }, 'top-down bitmap');
    assert.deepEqual(sniffImage(makeGif(13, 7)), { format: 'gif', width: 13, height: 7 });
    assert.deepEqual(sniffImage(makeTiff(300, 200)), { format: 'tiff', width: 300, height: 200 });
    assert.deepEqual(sniffImage(makeTiff(300, 200, true)), { format: 'tiff', width: 300, height: 200 }, 'big-endian TIFF');
    assert.deepEqual(sniffImage(makeWebpLossy(1000, 700)), { format: 'webp', width: 1000, height: 700 });
    assert.deepEqual(sniffImage(makeWebpLossless(4096, 3000)), { format: 'webp', width: 4096, height: 3000 });
    assert.deepEqual(sniffImage(makeWebpExtended(6000, 5001)), { format: 'webp', width: 6000, height: 5001 });
  });

  it('does not mistake other bytes for an image', () => {
    const text = new TextEncoder().encode('BM is how this text starts, but it is not a bitmap at all.');
    assert.equal(sniffFormat(text), undefined);
    assert.equal(sniffFormat(new TextEncoder().encode('RIFF....WAVEfmt ')), undefined, 'a WAV is RIFF but not WebP');
    assert.equal(sniffFormat(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])), undefined, 'PDF');
    assert.equal(sniffFormat(new Uint8Array(0)), undefined);
    assert.equal(sniffImage(new TextEncoder().encode('GIF88a not a gif')), undefined);
  });

  // The cut-short views below sit in a buffer that still holds the whole file: a reader that
  // looked past the view's end (as image-size does on its own) would find the real size there.
  // The PNG and JPEG are Node Buffers (as fs.readFile returns), whose slice() is a view, not a copy.
  it('knows the format of a cut-short file but reports its size as unreadable', () => {
    const jpegHead = makeJpeg(64, 64).subarray(0, 20);
    assert.equal(sniffFormat(jpegHead), 'jpeg');
    assert.equal(readImageSize(jpegHead, 'jpeg'), undefined);
    assert.equal(sniffImage(jpegHead), undefined);
    const pngHead = makePng(10, 10).subarray(0, 12);
    assert.equal(sniffFormat(pngHead), 'png');
    assert.equal(readImageSize(pngHead, 'png'), undefined);
    const tiffHead = makeTiff(10, 10).subarray(0, 8);
    assert.equal(sniffFormat(tiffHead), 'tiff');
    assert.equal(readImageSize(tiffHead, 'tiff'), undefined);
  });

  it('reads a view into a larger buffer at its own offset', () => {
    const png = makePng(31, 29);
    const outer = new Uint8Array(png.length + 7);
    outer.set(png, 7);
    assert.deepEqual(sniffImage(outer.subarray(7)), { format: 'png', width: 31, height: 29 });
  });

  it('names, extensions and MIME types cover every format', () => {
    assert.equal(FORMAT_INFO.jpeg.extension, 'jpg');
    assert.equal(FORMAT_INFO.tiff.mime, 'image/tiff');
    assert.deepEqual(Object.keys(FORMAT_INFO).sort(), ['bmp', 'gif', 'jpeg', 'png', 'tiff', 'webp']);
  });
});
