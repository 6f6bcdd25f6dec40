import * as assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImageMetadata } from '../../src/core/images/metadata';
import { candidateFileName, fileStem } from '../../src/core/images/naming';
import { fileSystemError } from '../../src/core/images/save-errors';
import { FileImageSaver } from '../../src/core/images/saver';
import type { GenerationRecord } from '../../src/core/images/record';
import type { SaveImageRequest } from '../../src/core/jobs/ports';
import { StudioError } from '../../src/core/tencent/errors';
import { chunk, decodeJpeg, makeJpeg, makePng, PNG_SIGNATURE, pngChunks, pngImageData } from './image-fixtures';

const NOW = new Date(2025, 8, 1, 12, 30, 45);
const PROMPT = '月光下的猫 "cat" <b>';
const STEM = fileStem(PROMPT, NOW);
const record: GenerationRecord = { prompt: PROMPT, model: 'hunyuan-image-job', jobId: 'job-1', requestId: 'req-1', time: NOW.toISOString() };
const CAP = 200_000;

const png = makePng(64, 48);
const jpeg = makeJpeg(32, 32);

function expectCode(code: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof StudioError, `a StudioError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  };
}

/** Serves the images and every misbehaviour the saver must survive. */
function startServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const hop = /^\/hop\/(\d+)$/.exec(path);
    if (hop) {
      const left = Number(hop[1]);
      res.writeHead(302, { location: left > 0 ? `/hop/${left - 1}` : '/image.png' }).end();
      return;
    }
    switch (path) {
      case '/image.png':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
        return;
      case '/image.jpg': // chunked, with an unhelpful content type: the bytes decide
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(jpeg.subarray(0, 10));
        res.end(jpeg.subarray(10));
        return;
      case '/truncated':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
        res.write(png.subarray(0, 100), () => res.destroy());
        return;
      case '/html':
        res.writeHead(200, { 'content-type': 'image/png' }).end('<!DOCTYPE html><html><body>Please log in</body></html>');
        return;
      case '/big': {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(PNG_SIGNATURE);
        let sent = 0;
        const pump = (): void => {
          while (sent < 10 * CAP && !res.destroyed) {
            sent += 16_384;
            if (!res.write(Buffer.alloc(16_384))) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      case '/big-declared':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': 100 * CAP });
        res.write(PNG_SIGNATURE);
        return; // never finishes: the client must refuse from the header alone
      case '/stall':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
        res.write(png.subarray(0, 64)); // and nothing more until the client gives up
        return;
      case '/to-https':
        res.writeHead(302, { location: `https://${req.headers.host}/image.png` }).end();
        return;
      case '/to-ftp':
        res.writeHead(301, { location: 'ftp://127.0.0.1/image.png' }).end();
        return;
      case '/to-remote-http':
        res.writeHead(307, { location: 'http://example.com/image.png' }).end();
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('FileImageSaver', () => {
  let server: Server;
  let base: string;
  let root: string;
  let dir: string;
  const saver = new FileImageSaver({ now: () => NOW, maxBytes: CAP });

  const request = (image: SaveImageRequest['image'], extra: Partial<SaveImageRequest> = {}): SaveImageRequest => ({ image, directory: dir, prompt: PROMPT, record, ...extra });
  const url = (path: string): SaveImageRequest['image'] => ({ kind: 'url', url: `${base}${path}` });

  before(async () => {
    ({ server, url: base } = await startServer());
    root = await mkdtemp(join(tmpdir(), 'saver-'));
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(root, { recursive: true, force: true });
  });
  let counter = 0;
  beforeEach(() => {
    dir = join(root, `case-${++counter}`, 'assets', 'generated'); // created by the saver
  });

  async function assertEmpty(): Promise<void> {
    const left = await readdir(dir).catch(() => []);
    assert.deepEqual(left, [], 'nothing left behind');
  }

  describe('success', () => {
    it('downloads a PNG, adds the label and record, and names it from the prompt', async () => {
      const saved = await saver.save(request(url('/image.png')));
      assert.equal(saved.path, join(dir, `${STEM}.png`));
      assert.equal(saved.format, 'png');
      const bytes = await readFile(saved.path);
      assert.equal(saved.bytes, bytes.length);
      assert.ok(pngChunks(bytes).every((c) => c.crcValid));
      assert.ok(pngImageData(bytes).equals(pngImageData(png)));
      const meta = await readImageMetadata(saved.path);
      assert.deepEqual(meta.record, record);
      assert.equal(meta.label?.Label, '1');
      assert.equal(meta.label?.ContentProducer, 'Tencent Cloud Hunyuan');
      assert.equal(meta.label?.ProduceID, 'job-1');
      assert.deepEqual(await readdir(dir), [`${STEM}.png`], 'no temporary file left');
    });

    it('recognises a JPEG by its bytes, not its Content-Type, and keeps its pixels', async () => {
      const saved = await saver.save(request(url('/image.jpg')));
      assert.equal(saved.path, join(dir, `${STEM}.jpg`));
      assert.equal(saved.format, 'jpeg');
      const bytes = await readFile(saved.path);
      assert.deepEqual(decodeJpeg(bytes), decodeJpeg(jpeg));
      assert.deepEqual((await readImageMetadata(bytes)).record, record);
    });

    it('follows up to three redirects', async () => {
      const saved = await saver.save(request(url('/hop/2'))); // 3 redirects: /hop/2 -> /hop/1 -> /hop/0 -> /image.png
      assert.equal(saved.format, 'png');
    });

    it('decodes base64 results, with or without a data: prefix and line breaks', async () => {
      const plain = png.toString('base64');
      const wrapped = `data:image/png;base64,${plain.replace(/(.{76})/g, '$1\r\n')}`;
      const first = await saver.save(request({ kind: 'base64', data: plain }));
      const second = await saver.save(request({ kind: 'base64', data: wrapped }));
      assert.equal(second.path, join(dir, `${STEM}-2.png`));
      const [a, b] = await Promise.all([readFile(first.path), readFile(second.path)]);
      assert.ok(pngImageData(a).equals(pngImageData(png)) && pngImageData(b).equals(pngImageData(png)));
    });

    it('never overwrites: concurrent saves of one prompt in one second get -2, -3…', async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${STEM}.png`), 'the user’s own file');
      const saves = await Promise.all(Array.from({ length: 6 }, (_, i) => saver.save(request(i % 2 ? url('/image.png') : { kind: 'base64', data: png.toString('base64') }))));
      const names = saves.map((s) => s.path.slice(dir.length + 1)).sort();
      assert.deepEqual(names, [2, 3, 4, 5, 6, 7].map((n) => candidateFileName(STEM, 'png', n)).sort());
      assert.equal(await readFile(join(dir, `${STEM}.png`), 'utf8'), 'the user’s own file');
      for (const saved of saves) assert.ok(pngImageData(await readFile(saved.path)).equals(pngImageData(png)), saved.path);
      assert.equal((await readdir(dir)).length, 7, 'no temporary files');
    });

    it('stays within the memory budget for a 20 MB base64 result', async () => {
      // One IDAT of 20 MB (not valid zlib: nothing here inflates it), so the file is a real PNG structurally.
      let big: Buffer | undefined = Buffer.concat([makePng(1, 1).subarray(0, 33), chunk('IDAT', Buffer.alloc(20 * 1024 * 1024, 7)), chunk('IEND', Buffer.alloc(0))]);
      const data = big.toString('base64');
      const size = big.length;
      big = undefined;
      const baseline = process.memoryUsage().arrayBuffers;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1);
      try {
        const saved = await new FileImageSaver({ now: () => NOW }).save(request({ kind: 'base64', data }));
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
        assert.ok(saved.bytes > size);
      } finally {
        clearInterval(sampler);
      }
      assert.ok(peak - baseline < 10 * 1024 * 1024, `added ${((peak - baseline) / 1048576).toFixed(1)} MB of buffers`);
    });
  });

  describe('refusals leave nothing behind', () => {
    it('refuses a URL that is not HTTPS (plain HTTP only on loopback) without connecting', async () => {
      for (const bad of ['http://example.com/a.png', 'ftp://127.0.0.1/a.png', 'file:///etc/passwd']) {
        await assert.rejects(saver.save(request({ kind: 'url', url: bad })), expectCode('Client.InsecureUrl'));
      }
      await assertEmpty();
    });

    it('refuses redirects to another scheme or to a remote plain-HTTP host', async () => {
      for (const path of ['/to-https', '/to-ftp', '/to-remote-http']) {
        await assert.rejects(saver.save(request(url(path))), expectCode('Client.RedirectRefused'));
      }
      await assertEmpty();
    });

    it('refuses a fourth redirect', async () => {
      await assert.rejects(saver.save(request(url('/hop/3'))), expectCode('Client.TooManyRedirects'));
      await assertEmpty();
    });

    it('reports a truncated body', async () => {
      await assert.rejects(saver.save(request(url('/truncated'))), expectCode('Client.DownloadTruncated'));
      await assertEmpty();
    });

    it('stops at the byte cap, streamed or declared', async () => {
      await assert.rejects(saver.save(request(url('/big'))), expectCode('Client.DownloadTooLarge'));
      await assert.rejects(saver.save(request(url('/big-declared'))), expectCode('Client.DownloadTooLarge'));
      const hugeBase64 = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(2 * CAP)]).toString('base64');
      await assert.rejects(saver.save(request({ kind: 'base64', data: hugeBase64 })), expectCode('Client.DownloadTooLarge'));
      await assertEmpty();
    });

    it('refuses an HTML page served as image/png, and base64 that is not an image', async () => {
      await assert.rejects(saver.save(request(url('/html'))), (error) => expectCode('Client.NotAnImage')(error) && /HTML/.test((error as StudioError).explanation.en));
      await assert.rejects(saver.save(request({ kind: 'base64', data: Buffer.from('<html></html>').toString('base64') })), expectCode('Client.NotAnImage'));
      await assert.rejects(saver.save(request({ kind: 'base64', data: 'not base64 at all!' })), expectCode('Client.NotAnImage'));
      await assert.rejects(saver.save(request({ kind: 'base64', data: '' })), expectCode('Client.NotAnImage'));
      await assertEmpty();
    });

    it('says the result expired on a 404 after its lifetime, and only then', async () => {
      await assert.rejects(saver.save(request(url('/gone'), { expiresAt: NOW.getTime() - 1 })), (error) => expectCode('Client.ResultExpired')(error) && (error as StudioError).retryable === false);
      await assert.rejects(saver.save(request(url('/gone'), { expiresAt: NOW.getTime() + 60_000 })), expectCode('Client.DownloadFailed'));
      await assertEmpty();
    });

    it('cancels mid-download and removes the partial file', async () => {
      const controller = new AbortController();
      const saving = saver.save(request(url('/stall'), { signal: controller.signal }));
      // Abort only once the temporary file exists, so the abort really lands mid-download.
      for (let i = 0; i < 500 && !(await readdir(dir).catch(() => [])).some((n) => n.includes('.part-')); i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.ok((await readdir(dir)).some((n) => n.startsWith(`.${STEM}.part-`)), 'the temporary file sits beside the target');
      controller.abort();
      await assert.rejects(saving, expectCode('Client.Cancelled'));
      await assertEmpty();
    });

    it('gives up on a body that stalls, as a timeout', async () => {
      const impatient = new FileImageSaver({ now: () => NOW, bodyTimeoutMs: 150 });
      await assert.rejects(impatient.save(request(url('/stall'))), (error) => expectCode('Client.Timeout')(error) && (error as StudioError).retryable);
      await assertEmpty();
    });

    it('does nothing when already cancelled', async () => {
      await assert.rejects(saver.save(request(url('/image.png'), { signal: AbortSignal.abort() })), expectCode('Client.Cancelled'));
      await assertEmpty();
    });
  });

  describe('folder problems', () => {
    it('a read-only folder gives Client.ReadOnlyFolder and leaves nothing', async function () {
      const candidate = join(root, 'read-only');
      await mkdir(candidate);
      await chmod(candidate, 0o555);
      let folder = candidate;
      const writable = await writeFile(join(candidate, 'probe'), 'x').then(() => true, () => false);
      if (writable) {
        // Running as root: permission bits do not stop writes. /sys refuses new files even to root.
        await chmod(candidate, 0o755);
        const sysRefuses = await writeFile('/sys/aigc-image-studio-probe', 'x').then(() => false, (e: { code?: string }) => ['EACCES', 'EROFS', 'EPERM'].includes(e.code ?? ''));
        if (!sysRefuses) {
          console.log('      (skipped: running as root and no read-only folder is available)');
          this.skip();
        }
        folder = '/sys';
      }
      const before = await readdir(folder);
      await assert.rejects(saver.save(request(url('/image.png'), { directory: folder })), expectCode('Client.ReadOnlyFolder'));
      assert.deepEqual(await readdir(folder), before, 'nothing left in the folder');
    });

    it('a folder path through a regular file gives Client.FolderUnavailable', async () => {
      const file = join(root, 'a-file');
      await writeFile(file, 'x');
      await assert.rejects(saver.save(request(url('/image.png'), { directory: join(file, 'sub') })), expectCode('Client.FolderUnavailable'));
      assert.equal(await readFile(file, 'utf8'), 'x');
    });

    it('maps a real ENOSPC to Client.DiskFull and EROFS to Client.ReadOnlyFolder', function () {
      let full: unknown;
      try {
        writeFileSync('/dev/full', 'x');
      } catch (error) {
        full = error;
      }
      if (!full) this.skip();
      assert.equal(fileSystemError(full, dir).code, 'Client.DiskFull');
      assert.match(fileSystemError(full, dir).explanation.zh, /磁盘已满/);
      assert.equal(fileSystemError(Object.assign(new Error('ro'), { code: 'EROFS' }), dir).code, 'Client.ReadOnlyFolder');
    });
  });
});
