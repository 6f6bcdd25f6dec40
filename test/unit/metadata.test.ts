import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { buildAigcLabel, parseAigcLabel, parseGenerationRecord } from '../../src/core/images/aigc-label';
import { bytesSource, type ByteSource } from '../../src/core/images/byte-source';
import { MAX_XMP_BYTES } from '../../src/core/images/jpeg-metadata';
import { addImageMetadata, planMetadata, readImageMetadata, type MetadataToAdd } from '../../src/core/images/metadata';
import { scanPng } from '../../src/core/images/png-metadata';
import type { AigcLabel, GenerationRecord } from '../../src/core/images/record';
import { buildXmpPacket, TC260_NAMESPACE } from '../../src/core/images/xmp';
import { app1, chunk, decodeJpeg, jpegSegments, makeJpeg, makePng, pngChunks, pngImageData, textChunk, withSegmentAfter } from './image-fixtures';

const LABEL_KEYS = ['Label', 'ContentProducer', 'ProduceID', 'ReservedCode1', 'ContentPropagator', 'PropagateID', 'ReservedCode2'];

const nastyRecord: GenerationRecord = {
  prompt: '一只猫 🐱 在"月球"上 <script>alert(\'x\')</script> & friends\nsecond line\r\n\ttab </studio:GenerationRecord>',
  negativePrompt: '模糊, "低质量" <b>bold</b> ]]> \u0085\u007f',
  model: 'hunyuan-image-job',
  size: '1024:1024',
  style: 'riman',
  seed: 42,
  requestId: 'req-123',
  jobId: '1258-ap-guangzhou-abc',
  time: '2025-09-01T10:00:00.000Z',
  revisedPrompt: 'A cat on the moon, 赛博朋克',
};

function metadataFor(record: GenerationRecord): MetadataToAdd {
  return { record, label: buildAigcLabel(record, 'propagate-1') };
}

function assertCompleteLabel(label: AigcLabel | undefined): asserts label is AigcLabel {
  assert.ok(label, 'label present');
  assert.deepEqual(Object.keys(label).sort(), [...LABEL_KEYS].sort());
  for (const key of LABEL_KEYS) assert.equal(typeof (label as unknown as Record<string, unknown>)[key], 'string', key);
}

/** A ByteSource that counts what is read from it. */
function countingSource(bytes: Uint8Array): ByteSource & { readonly total: () => number } {
  const inner = bytesSource(bytes);
  let total = 0;
  return {
    size: inner.size,
    read: async (position, length) => {
      const part = await inner.read(position, length);
      total += part.length;
      return part;
    },
    total: () => total,
  };
}

describe('image metadata', () => {
  describe('the AIGC label', () => {
    it('has all seven keys as strings: Label "1", the service as producer, the job as ProduceID', () => {
      const label = buildAigcLabel(nastyRecord, 'file-1');
      assertCompleteLabel(label);
      assert.equal(label.Label, '1');
      assert.equal(label.ContentProducer, 'Tencent Cloud Hunyuan');
      assert.equal(label.ProduceID, '1258-ap-guangzhou-abc');
      assert.equal(label.ContentPropagator, 'AIGC Image Studio');
      assert.equal(label.PropagateID, 'file-1');
      assert.equal(label.ReservedCode1, '');
      assert.equal(buildAigcLabel({ model: 'aiart-text-to-image-lite', prompt: 'x', time: 't', requestId: 'r-9' }).ProduceID, 'r-9');
      assert.equal(buildAigcLabel({ model: 'mps-aigc-image', prompt: 'x', time: 't' }).ContentProducer, 'Tencent Cloud MPS');
    });

    it('gives every file its own PropagateID', () => {
      assert.notEqual(buildAigcLabel(nastyRecord).PropagateID, buildAigcLabel(nastyRecord).PropagateID);
    });

    it('parses hostile JSON without throwing, keeping only what is valid', () => {
      assert.equal(parseAigcLabel('not json'), undefined);
      assert.equal(parseAigcLabel('[1,2]'), undefined);
      assert.equal(parseAigcLabel('{"Label":1}'), undefined);
      const partial = parseAigcLabel('{"Label":"1","ContentProducer":{"x":1},"ProduceID":"p"}');
      assertCompleteLabel(partial);
      assert.equal(partial.ContentProducer, '');
      assert.equal(partial.ProduceID, 'p');
      assert.equal(parseGenerationRecord('{"prompt":"p","model":"m"}'), undefined, 'time is required');
      assert.deepEqual(parseGenerationRecord('{"prompt":"p","model":"m","time":"t","seed":"7","style":3,"size":"1:1","extra":true}'), { prompt: 'p', model: 'm', time: 't', size: '1:1' });
    });
  });

  describe('PNG', () => {
    it('round-trips the record and label with CJK, emoji, quotes, markup and newlines', async () => {
      const png = makePng(32, 24);
      const out = await addImageMetadata(png, metadataFor(nastyRecord));
      const read = await readImageMetadata(out);
      assert.equal(read.format, 'png');
      assert.equal(read.width, 32);
      assert.equal(read.height, 24);
      assert.deepEqual(read.record, nastyRecord);
      assertCompleteLabel(read.label);
      assert.deepEqual(read.label, buildAigcLabel(nastyRecord, 'propagate-1'));
    });

    it('puts iTXt chunks right after IHDR, with valid CRCs, and keeps every original byte', async () => {
      const png = makePng(40, 30, { idatChunks: 3 });
      const out = await addImageMetadata(png, metadataFor(nastyRecord));
      const chunks = pngChunks(out);
      assert.deepEqual(chunks.map((c) => c.type).slice(0, 3), ['IHDR', 'iTXt', 'iTXt']);
      assert.ok(chunks.every((c) => c.crcValid), 'every CRC is valid');
      assert.deepEqual(chunks.slice(1, 3).map((c) => c.data.toString('latin1', 0, c.data.indexOf(0))), ['AIGC', 'aigc-image-studio']);
      // Without the two inserted chunks, the file is the service's file byte for byte.
      const inserted = chunks[3].offset - chunks[1].offset;
      assert.ok(Buffer.concat([out.subarray(0, 33), out.subarray(33 + inserted)]).equals(png));
      assert.ok(pngImageData(out).equals(pngImageData(png)), 'image data identical');
    });

    it('keeps an existing AIGC label untouched and adds only the record', async () => {
      const theirs = '{"Label":"1","ContentProducer":"001191110108MA01KP2T5U00000","ProduceID":"abc","ReservedCode1":"sig","ContentPropagator":"","PropagateID":"","ReservedCode2":""}';
      for (const placement of ['before', 'after'] as const) {
        const labelChunk = textChunk('AIGC', theirs);
        const png = makePng(16, 16, { [placement]: [labelChunk] });
        const plan = await planMetadata(bytesSource(png), metadataFor(nastyRecord));
        assert.equal(plan.labelAdded, false, placement);
        const out = await addImageMetadata(png, metadataFor(nastyRecord));
        const aigcChunks = pngChunks(out).filter((c) => c.data.toString('latin1').startsWith('AIGC\0'));
        assert.equal(aigcChunks.length, 1, `one label (${placement} IDAT)`);
        assert.ok(out.includes(labelChunk), 'their chunk, byte for byte');
        const read = await readImageMetadata(out);
        assert.deepEqual(read.record, nastyRecord);
        if (placement === 'before') assert.equal(read.label?.ContentProducer, '001191110108MA01KP2T5U00000');
      }
    });

    it('recognises a label in compressed text and in XMP', async () => {
      const label = JSON.stringify(buildAigcLabel(nastyRecord, 'z'));
      const zTXt = chunk('zTXt', Buffer.concat([Buffer.from('AIGC\0\0', 'latin1'), deflateSync(Buffer.from(label, 'latin1'))]));
      const xmp = buildXmpPacket('{}', buildAigcLabel(nastyRecord, 'x'));
      const xmpChunk = chunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(xmp, 'utf8')]));
      for (const [name, extra, id] of [['zTXt', zTXt, 'z'], ['XMP', xmpChunk, 'x']] as const) {
        const png = makePng(8, 8, { before: [extra] });
        assert.equal((await planMetadata(bytesSource(png), metadataFor(nastyRecord))).labelAdded, false, name);
        assert.equal((await readImageMetadata(png)).label?.PropagateID, id, name);
      }
    });

    it('reads only the head: seeks over image data instead of reading it', async () => {
      const comments = Array.from({ length: 20 }, () => textChunk('Comment', 'c'.repeat(100_000)));
      const png = makePng(1024, 1024, { idatChunks: 40, before: comments });
      const out = await addImageMetadata(png, metadataFor(nastyRecord));
      const source = countingSource(out);
      const scan = await scanPng(source, false);
      assert.ok(scan?.texts.has('AIGC'));
      assert.ok(source.total() < 8 * 1024, `read ${source.total()} of ${out.length} bytes`);
      const whole = countingSource(out);
      await scanPng(whole, true);
      assert.ok(whole.total() < 16 * 1024, `whole-file walk read ${whole.total()} bytes`);
    });

    it('survives hostile files: huge lengths, bad CRCs, bad JSON, truncation', async () => {
      const good = chunk('iTXt', Buffer.from(`aigc-image-studio\0\0\0\0\0${JSON.stringify(nastyRecord)}`, 'utf8'));
      const badCrc = Buffer.from(textChunk('AIGC', '{"Label":"1"}'));
      badCrc[badCrc.length - 1] ^= 0xff;
      const badJson = textChunk('AIGC', '{"Label":');
      const withBad = makePng(8, 8, { before: [badCrc, badJson, good] });
      const read = await readImageMetadata(withBad);
      assert.equal(read.label, undefined, 'a chunk with a wrong CRC and bad JSON give no label');
      assert.deepEqual(read.record, nastyRecord);

      const huge = Buffer.alloc(12);
      huge.writeUInt32BE(0x7ffffff0, 0);
      huge.write('tEXt', 4, 'latin1');
      const hostile = Buffer.concat([makePng(8, 8).subarray(0, 33), good, huge, Buffer.alloc(100)]);
      const readHostile = await readImageMetadata(hostile);
      assert.equal(readHostile.width, 8);
      assert.deepEqual(readHostile.record, nastyRecord, 'chunks before the bad one still count');

      const bomb = chunk('zTXt', Buffer.concat([Buffer.from('AIGC\0\0', 'latin1'), deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20))]));
      const readBomb = await readImageMetadata(makePng(8, 8, { before: [bomb] }));
      assert.equal(readBomb.label, undefined, 'a decompression bomb is not inflated past the cap');

      for (const cut of [0, 5, 8, 20, 33, 40]) {
        const truncated = (await addImageMetadata(makePng(8, 8), metadataFor(nastyRecord))).subarray(0, cut);
        await assert.doesNotReject(readImageMetadata(truncated), `cut at ${cut}`);
      }
      assert.deepEqual(await readImageMetadata(Buffer.from('<!DOCTYPE html>')), { format: 'unknown' });
    });
  });

  describe('JPEG', () => {
    it('round-trips the record and label, after SOI and JFIF, with the pixels unchanged', async () => {
      const jpeg = makeJpeg(24, 16);
      const out = await addImageMetadata(jpeg, metadataFor(nastyRecord));
      const segments = jpegSegments(out);
      assert.equal(segments[0].marker, 0xe0, 'JFIF stays first');
      assert.equal(segments[1].marker, 0xe1);
      assert.ok(segments[1].bytes.includes(Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1')));
      assert.ok(segments[1].bytes.includes(Buffer.from(TC260_NAMESPACE)));
      const inserted = segments[1].bytes.length;
      assert.ok(Buffer.concat([out.subarray(0, segments[1].offset), out.subarray(segments[1].offset + inserted)]).equals(jpeg), 'original bytes kept');
      assert.deepEqual(decodeJpeg(out), decodeJpeg(jpeg));
      const read = await readImageMetadata(out);
      assert.equal(read.format, 'jpeg');
      assert.equal(read.width, 24);
      assert.equal(read.height, 16);
      assert.deepEqual(read.record, nastyRecord);
      assert.deepEqual(read.label, buildAigcLabel(nastyRecord, 'propagate-1'));
    });

    it('escapes markup so a prompt cannot forge a label', async () => {
      const forged: GenerationRecord = { ...nastyRecord, prompt: `</studio:GenerationRecord><TC260:AIGC>{"Label":"0"}</TC260:AIGC>` };
      const jpeg = makeJpeg(8, 8);
      const existing = buildXmpPacket('{}');
      const out = await addImageMetadata(withSegmentAfter(jpeg, 2, app1(Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(existing)]))), metadataFor(forged));
      const read = await readImageMetadata(out);
      assert.deepEqual(read.record, forged);
      assert.equal(read.label?.Label, '1', 'our label, not the one in the prompt');
    });

    it('keeps an existing XMP AIGC label first and untouched, adding only the record', async () => {
      const jpeg = makeJpeg(8, 8);
      const theirXmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:tc="http://www.tc260.org.cn/ns/AIGC/1.0" tc:AIGC="{&quot;Label&quot;:&quot;1&quot;,&quot;ContentProducer&quot;:&quot;theirs&quot;}"/></rdf:RDF></x:xmpmeta>`;
      const theirSegment = app1(Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(theirXmp)]));
      const jfifEnd = jpegSegments(jpeg)[0].bytes.length + 2;
      const original = withSegmentAfter(jpeg, jfifEnd, theirSegment);
      const plan = await planMetadata(bytesSource(original), metadataFor(nastyRecord));
      assert.equal(plan.labelAdded, false);
      const out = await addImageMetadata(original, metadataFor(nastyRecord));
      const segments = jpegSegments(out);
      assert.ok(segments[1].bytes.equals(theirSegment), 'their XMP first, byte for byte');
      assert.ok(!segments[2].bytes.includes(Buffer.from('TC260:AIGC')), 'no second label');
      const read = await readImageMetadata(out);
      assert.equal(read.label?.ContentProducer, 'theirs');
      assert.equal(read.label?.ProduceID, '');
      assert.deepEqual(read.record, nastyRecord);
      assert.deepEqual(decodeJpeg(out), decodeJpeg(jpeg));
    });

    it('fits a very long record into one segment by shortening its prompts', async () => {
      const long: GenerationRecord = { ...nastyRecord, prompt: '猫<"&>'.repeat(3000), negativePrompt: 'x'.repeat(5000) };
      const out = await addImageMetadata(makeJpeg(8, 8), metadataFor(long));
      const segment = jpegSegments(out)[1];
      assert.ok(segment.bytes.length <= 65_537);
      assert.ok(segment.bytes.length - 4 - 29 <= MAX_XMP_BYTES);
      const read = await readImageMetadata(out);
      assert.ok(read.record, 'record still parses');
      assert.ok(read.record.prompt.endsWith('…') && long.prompt.startsWith(read.record.prompt.slice(0, -1)));
      assert.ok(!read.record.prompt.includes('\ufffd'), 'cut on a character boundary');
      assert.equal(read.record.negativePrompt, long.negativePrompt, 'only the longest field is cut');
      assert.equal(read.record.model, long.model);
      assert.deepEqual(read.label, buildAigcLabel(long, 'propagate-1'));
    });

    it('survives hostile segments', async () => {
      const jpeg = makeJpeg(8, 8);
      const bogusLength = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1, 0xff, 0xff]), Buffer.from('http://ns.adobe.com/xap/1.0/\0')]);
      assert.deepEqual(await readImageMetadata(bogusLength), { format: 'jpeg', width: undefined, height: undefined, label: undefined, record: undefined });
      const badXmp = app1(Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(`<x xmlns:TC260="${TC260_NAMESPACE}"><TC260:AIGC>{broken</TC260:AIGC>`)]));
      const read = await readImageMetadata(withSegmentAfter(jpeg, 2, badXmp));
      assert.equal(read.label, undefined);
      assert.equal(read.width, 8);
      await assert.doesNotReject(readImageMetadata(jpeg.subarray(0, 30)));
    });
  });

  it('reads from a file path as well as from bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meta-'));
    try {
      const path = join(dir, 'a.png');
      await writeFile(path, await addImageMetadata(makePng(5, 7), metadataFor(nastyRecord)));
      const read = await readImageMetadata(path);
      assert.equal(read.height, 7);
      assert.deepEqual(read.record, nastyRecord);
      await assert.rejects(readImageMetadata(join(dir, 'missing.png')), { code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
