/**
 * The measured process of the save-memory benchmark (save-memory.ts starts it fresh, bundled, with
 * --expose-gc): saves one large result from the simulated cloud and reports how far its memory
 * rose above where it stood right before the save, two ways.
 *
 * - idle: resident memory (RSS) sampled every millisecond the event loop allows, and the kernel's
 *   high-water mark, with the garbage collector left alone — what an otherwise idle process pays,
 *   garbage awaiting collection included (notably the socket's read buffers: Node makes a new one
 *   for every read, and V8 collects young ArrayBuffers only once about 32 MB of them pile up).
 * - collected: a full garbage collection before every sample, so what is left is the memory the
 *   save holds on to (JS heap + Buffers): whether it keeps the image in memory.
 *
 * `streaming` is the real core path, as the engine runs it: FileImageSaver (download.ts: capped,
 * streamed to a temporary file; metadata.ts + splice-file.ts: the AIGC label and our record spliced
 * in by a copy through one small buffer; an atomic publish). `buffered` is the comparison in the
 * same run: the obvious implementation that holds the image in memory (fetch, arrayBuffer, the
 * metadata inserted with addImageMetadata, writeFile), which the measurement must show as costing
 * at least the image's size. `piped` is the floor of any download in Node: node:http's response
 * piped into a file stream, nothing else (no cap, no check, no metadata).
 *
 * Before the measured saves, a small image goes through the same path (modules, undici's
 * connection pool and the code paths warmed up), and garbage is collected before each, so the
 * baseline holds everything but the save itself.
 */
import { createWriteStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { buildAigcLabel } from '../../src/core/images/aigc-label';
import { addImageMetadata, readImageMetadata } from '../../src/core/images/metadata';
import type { GenerationRecord } from '../../src/core/images/record';
import { FileImageSaver } from '../../src/core/images/saver';

export type SaveMode = 'streaming' | 'buffered' | 'piped';

export interface SaveMemoryRequest {
  readonly mode: SaveMode;
  readonly warmUpUrl: string;
  readonly url: string;
  readonly directory: string;
  readonly record: GenerationRecord;
}

export interface Growth {
  /** Highest RSS above the baseline: sampled, or the kernel's high-water mark when the save raised it, bytes. */
  readonly rss: number;
  /** Highest JS heap + external memory (Buffers) above the baseline, bytes. */
  readonly live: number;
  readonly durationMs: number;
  readonly samples: number;
}

export interface SaveMemoryReport {
  readonly mode: SaveMode;
  /** Size of the saved file (the image plus its metadata), bytes. */
  readonly savedBytes: number;
  /** The saved file carries our record with the prompt: the metadata was really embedded (not by `piped`). */
  readonly recordEmbedded: boolean;
  readonly idle: Growth;
  readonly collected: Growth;
}

const SAMPLE_EVERY_MS = 1;
/** A full collection takes milliseconds: sampling with one every millisecond would measure little else. */
const COLLECTED_SAMPLE_EVERY_MS = 5;

async function saveStreaming(url: string, directory: string, record: GenerationRecord): Promise<string> {
  const saved = await new FileImageSaver().save({ image: { kind: 'url', url }, directory, prompt: record.prompt, record });
  return saved.path;
}

async function saveBuffered(url: string, directory: string, record: GenerationRecord, name: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const labelled = await addImageMetadata(Buffer.from(await response.arrayBuffer()), { record, label: buildAigcLabel(record) });
  const path = join(directory, name);
  await writeFile(path, labelled, { flag: 'wx' });
  return path;
}

async function savePiped(url: string, directory: string, name: string): Promise<string> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).once('error', reject));
  if (response.statusCode !== 200) throw new Error(`GET ${url}: HTTP ${response.statusCode}`);
  const path = join(directory, name);
  await pipeline(response, createWriteStream(path, { flags: 'wx' }));
  return path;
}

function save(request: SaveMemoryRequest, url: string, name: string): Promise<string> {
  const { mode, directory, record } = request;
  if (mode === 'streaming') return saveStreaming(url, directory, record);
  return mode === 'buffered' ? saveBuffered(url, directory, record, name) : savePiped(url, directory, name);
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('start this process with --expose-gc');
  gc();
}

const live = (usage: NodeJS.MemoryUsage): number => usage.heapUsed + usage.external;

/** Runs one save of `url`, sampling memory as it goes; `collect` runs a full GC before every sample. */
async function measureSave(request: SaveMemoryRequest, name: string, collect: boolean): Promise<{ growth: Growth; path: string }> {
  for (let i = 0; i < 3; i++) collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const baseline = process.memoryUsage();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let peakRss = baseline.rss;
  let peakLive = live(baseline);
  let samples = 0;
  const sample = (): void => {
    if (collect) collectGarbage();
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakLive = Math.max(peakLive, live(now));
    samples++;
  };
  const sampler = setInterval(sample, collect ? COLLECTED_SAMPLE_EVERY_MS : SAMPLE_EVERY_MS);
  const started = performance.now();
  let path: string;
  try {
    path = await save(request, request.url, name);
  } finally {
    clearInterval(sampler);
  }
  const durationMs = performance.now() - started;
  sample();
  const maxRssAfter = process.resourceUsage().maxRSS * 1024;
  // The kernel's high-water mark counts only when the save raised it (start-up may have set it higher).
  const rss = Math.max(peakRss, maxRssAfter > maxRssBefore ? maxRssAfter : 0) - baseline.rss;
  return { growth: { rss, live: peakLive - live(baseline), durationMs, samples }, path };
}

async function measure(request: SaveMemoryRequest): Promise<SaveMemoryReport> {
  await save(request, request.warmUpUrl, 'warm-up.png');
  const idle = await measureSave(request, 'idle.png', false);
  const collected = await measureSave(request, 'collected.png', true);
  const metadata = await readImageMetadata(idle.path);
  return {
    mode: request.mode,
    savedBytes: (await stat(idle.path)).size,
    recordEmbedded: metadata.record?.prompt === request.record.prompt,
    idle: idle.growth,
    collected: collected.growth,
  };
}

measure(JSON.parse(process.argv[2] ?? 'null') as SaveMemoryRequest).then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
