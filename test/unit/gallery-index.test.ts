// The gallery's index model (src/core/gallery): entries read from real image files with our
// metadata, search (CJK, NFKC, every word), model filter, sort, and the mtime+size cache that keeps
// unchanged files from being opened again.
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAigcLabel } from '../../src/core/images/aigc-label';
import { addImageMetadata } from '../../src/core/images/metadata';
import type { GenerationRecord } from '../../src/core/images/record';
import { fromCache, planScan, toCache } from '../../src/core/gallery/cache';
import { entryTime, isGalleryImageName, type FileFacts, type GalleryEntry } from '../../src/core/gallery/entry';
import { applyQuery, DEFAULT_QUERY, modelsIn, searchWords } from '../../src/core/gallery/query';
import { readGalleryEntry } from '../../src/core/gallery/read-entry';
import { drawImage } from '../fake-cloud/draw';
import { makeJpeg, makePng } from './image-fixtures';

function record(prompt: string, model: string, time: string, extra: Partial<GenerationRecord> = {}): GenerationRecord {
  return { prompt, model, time, size: '1024:1024', requestId: `req-${prompt.length}`, ...extra };
}

async function labelled(image: Buffer, rec: GenerationRecord): Promise<Buffer> {
  return addImageMetadata(image, { record: rec, label: buildAigcLabel(rec, 'propagate-1') });
}

/** An entry as the index would hold it, without touching the disk (for the query tests). */
function entry(name: string, mtime: number, rec?: Partial<GenerationRecord> & { prompt: string; model: string; time?: string }): GalleryEntry {
  return {
    id: `file:///w/assets/generated/${encodeURIComponent(name)}`,
    mtime,
    size: 1000,
    name,
    relPath: `assets/generated/${name}`,
    folderName: 'w',
    format: 'png',
    hasAigcLabel: rec !== undefined,
    record: rec && { ...rec, time: rec.time === undefined ? undefined : Date.parse(rec.time) },
  };
}

describe('gallery index', () => {
  describe('which files are images of the gallery', () => {
    it('takes png, jpg/jpeg, webp, bmp, tif/tiff and gif in any case; not hidden .part files or other files', () => {
      for (const name of ['a.png', 'b.JPG', 'c.jpeg', 'd.webp', 'e.bmp', 'f.tif', 'g.TIFF', 'h.gif', '雪中的红狐狸-20261121-045126.png']) {
        assert.ok(isGalleryImageName(name), name);
      }
      for (const name of ['.fox.part-0a1b2c', '.hidden.png', 'notes.md', 'png', 'archive.png.zip', 'noext']) {
        assert.ok(!isGalleryImageName(name), name);
      }
    });
  });

  describe('reading an entry from a file', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'gallery-index-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function readFile(name: string, bytes: Buffer): Promise<GalleryEntry> {
      const path = join(dir, name);
      await writeFile(path, bytes);
      const info = await stat(path);
      const facts: FileFacts = { id: pathToFileURL(path).toString(), mtime: info.mtimeMs, size: info.size };
      return readGalleryEntry(path, facts, { name, relPath: `out/${name}`, folderName: 'w' });
    }

    it('reads prompt, model, size, style, seed, ids and time from a PNG with our metadata (a real drawn image)', async () => {
      const rec = record('雪中的红狐狸 at dawn', 'hunyuan-image-job', '2026-11-21T04:51:26.000Z', {
        negativePrompt: '模糊',
        style: 'riman',
        seed: 42,
        jobId: '1258-ap-guangzhou-job',
      });
      const png = await labelled(drawImage({ prompt: rec.prompt, width: 256, height: 192, format: 'png' }), rec);
      const read = await readFile('fox.png', png);
      assert.equal(read.format, 'png');
      assert.equal(read.width, 256);
      assert.equal(read.height, 192);
      assert.equal(read.size, png.length);
      assert.equal(read.hasAigcLabel, true);
      assert.deepEqual(read.record, {
        prompt: rec.prompt,
        negativePrompt: '模糊',
        model: 'hunyuan-image-job',
        size: '1024:1024',
        style: 'riman',
        seed: 42,
        requestId: rec.requestId,
        jobId: '1258-ap-guangzhou-job',
        time: Date.parse('2026-11-21T04:51:26.000Z'),
      });
      assert.equal(entryTime(read), Date.parse('2026-11-21T04:51:26.000Z'));
    });

    it('reads our XMP record from a JPEG', async () => {
      const rec = record('a lighthouse, watercolour', 'aiart-text-to-image-lite', '2026-01-02T03:04:05.000Z');
      const read = await readFile('lighthouse.jpg', await labelled(makeJpeg(64, 48), rec));
      assert.equal(read.format, 'jpeg');
      assert.equal(read.width, 64);
      assert.equal(read.record?.prompt, 'a lighthouse, watercolour');
      assert.equal(read.record?.model, 'aiart-text-to-image-lite');
      assert.equal(read.hasAigcLabel, true);
    });

    it('keeps an image without our metadata, with what is known: dimensions, size, and mtime as its time', async () => {
      const png = makePng(40, 30);
      const read = await readFile('plain.png', png);
      assert.equal(read.record, undefined);
      assert.equal(read.hasAigcLabel, false);
      assert.equal(read.width, 40);
      assert.equal(read.height, 30);
      assert.equal(read.size, png.length);
      assert.equal(entryTime(read), read.mtime);
    });

    it('reads the dimensions of formats that carry no metadata of ours (GIF), and survives a file that is no image', async () => {
      // GIF89a, 3 x 2, the smallest valid header plus trailer.
      const gif = Buffer.from('474946383961030002000000003b', 'hex');
      const read = await readFile('anim.gif', gif);
      assert.equal(read.format, 'gif');
      assert.deepEqual([read.width, read.height], [3, 2]);
      const junk = await readFile('broken.png', Buffer.from('not an image at all'));
      assert.equal(junk.format, 'unknown');
      assert.equal(junk.record, undefined);
    });
  });

  describe('search, filter and sort', () => {
    const fox = entry('red-fox.png', 1_000, { prompt: '雪中的红狐狸 Red Fox at dawn', model: 'hunyuan-image-job', time: '2026-01-03T00:00:00Z' });
    const lighthouse = entry('lighthouse-10.png', 5_000, { prompt: 'A LIGHTHOUSE on a cliff', model: 'aiart-text-to-image-lite', time: '2026-01-01T00:00:00Z' });
    const fullWidth = entry('cat.png', 2_000, { prompt: 'ＣＡＴ　在月球上', model: 'hunyuan-image-job', time: '2026-01-02T00:00:00Z' });
    const plain = entry('lighthouse-9.png', Date.parse('2026-01-04T00:00:00Z'));
    const all = [fox, lighthouse, fullWidth, plain];

    it('sorts newest first by the generation time, and by mtime for an image without a record', () => {
      assert.deepEqual(applyQuery(all, DEFAULT_QUERY).map((e) => e.name), ['lighthouse-9.png', 'red-fox.png', 'cat.png', 'lighthouse-10.png']);
    });

    it('sorts by name as people do (9 before 10), case-insensitively', () => {
      assert.deepEqual(applyQuery(all, { ...DEFAULT_QUERY, sort: 'name' }).map((e) => e.name), ['cat.png', 'lighthouse-9.png', 'lighthouse-10.png', 'red-fox.png']);
    });

    it('finds Chinese text without spaces as a substring, case-insensitively, every word required', () => {
      const find = (text: string) => applyQuery(all, { ...DEFAULT_QUERY, text }).map((e) => e.name);
      assert.deepEqual(find('狐狸'), ['red-fox.png']);
      assert.deepEqual(find('红狐狸 DAWN'), ['red-fox.png']);
      assert.deepEqual(find('狐狸 lighthouse'), [], 'every word must match');
      assert.deepEqual(find('lighthouse'), ['lighthouse-9.png', 'lighthouse-10.png'], 'prompt or, without a record, the file name');
      assert.deepEqual(find('   '), applyQuery(all, DEFAULT_QUERY).map((e) => e.name), 'a blank search shows everything');
    });

    it('normalises both sides with NFKC: full-width letters and the ideographic space match their plain forms', () => {
      assert.deepEqual(searchWords('ｃａｔ　月球'), ['cat', '月球']);
      assert.deepEqual(applyQuery(all, { ...DEFAULT_QUERY, text: 'cat 月球' }).map((e) => e.name), ['cat.png']);
      assert.deepEqual(applyQuery(all, { ...DEFAULT_QUERY, text: 'ＣＡＴ' }).map((e) => e.name), ['cat.png']);
    });

    it('filters by model ("" = all; an image without a record has no model) and lists the models present', () => {
      assert.deepEqual(applyQuery(all, { ...DEFAULT_QUERY, model: 'hunyuan-image-job' }).map((e) => e.name), ['red-fox.png', 'cat.png']);
      assert.deepEqual(applyQuery(all, { ...DEFAULT_QUERY, model: 'hunyuan-image-job', text: 'cat' }).map((e) => e.name), ['cat.png']);
      assert.deepEqual(modelsIn(all), ['aiart-text-to-image-lite', 'hunyuan-image-job']);
    });

    it('applies every word and the model filter across 2,000 entries, newest first', () => {
      const many = Array.from({ length: 2_000 }, (_, i) =>
        entry(`image-${i}.png`, i, { prompt: `第${i}张 红狐狸 number ${i} in the snow`, model: i % 2 ? 'hunyuan-image-job' : 'mps-aigc-image', time: new Date(i * 1000).toISOString() }),
      );
      const found = applyQuery(many, { text: '狐狸 NUMBER 99', model: 'hunyuan-image-job', sort: 'time' });
      const expected = many.filter((_, i) => i % 2 === 1 && String(i).includes('99')).reverse();
      assert.deepEqual(found.map((e) => e.name), expected.map((e) => e.name));
      assert.equal(found[0]!.name, 'image-1999.png');
    });
  });

  describe('the cache, validated by mtime and size', () => {
    const a = entry('a.png', 100, { prompt: 'a', model: 'hunyuan-image-job', time: '2026-01-01T00:00:00Z' });
    const b = entry('b.png', 200);
    const c = entry('c.png', 300);

    it('reuses unchanged files, re-reads changed and new ones, and drops the ones that are gone', () => {
      const cached = fromCache(toCache([a, b, c]));
      const plan = planScan(cached, [
        { id: a.id, mtime: a.mtime, size: a.size },
        { id: b.id, mtime: b.mtime + 1, size: b.size }, // touched
        { id: c.id, mtime: c.mtime, size: c.size + 1 }, // same time, other bytes
        { id: 'file:///w/assets/generated/new.png', mtime: 400, size: 10 },
      ]);
      assert.deepEqual(plan.reuse.map((e) => e.name), ['a.png']);
      assert.deepEqual(plan.read.map((f) => f.id), [b.id, c.id, 'file:///w/assets/generated/new.png']);
      assert.deepEqual(plan.gone, []);
      assert.deepEqual(planScan(cached, [{ id: a.id, mtime: a.mtime, size: a.size }]).gone, [b.id, c.id]);
    });

    it('survives the JSON round trip workspaceState makes, and treats anything else as an empty cache', () => {
      const restored = fromCache(JSON.parse(JSON.stringify(toCache([a, b]))));
      assert.deepEqual([...restored.values()], [a, b].map((e) => JSON.parse(JSON.stringify(e))));
      for (const stored of [undefined, null, 'x', { version: 0, entries: [] }, { version: 1, entries: [{ id: 5 }] }]) {
        assert.equal(fromCache(stored).size, 0, JSON.stringify(stored));
      }
    });
  });
});
