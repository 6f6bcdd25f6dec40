/**
 * The save-memory benchmark (design.md: "a 20 MB result streams to disk with ≤ 10 MB of added
 * memory"). The simulated cloud (`stored-png`: PNGs as heavy as photographs) makes one 2592×2592
 * result of about 20 MB through aiart TextToImageRapid, called with our signed client; then a fresh
 * child process (save-memory-child.ts) saves it through the core path and reports how far its
 * memory rose above the level right before the save. The same measurements of a buffering
 * implementation and of a bare node:http pipe into a file (the floor of any download in Node), each
 * in fresh children too, are the comparisons of the same run. Each is repeated (BENCH_SAVE_RUNS,
 * default 3) and the medians reported: when the garbage collector runs varies from run to run. The
 * cloud runs in this process, so its copy of the image never counts against a child.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import type { GenerationRecord } from '../../src/core/images/record';
import { TencentCloudClient } from '../../src/core/tencent/client';
import { startFakeCloud, TEST_CREDENTIALS } from '../fake-cloud/index';
import type { SaveMemoryReport, SaveMemoryRequest, SaveMode } from './save-memory-child';
import { median } from './stats';

const repo = path.resolve(__dirname, '../..');
const CHILD_BUNDLE = path.join(repo, 'out/bench/save-memory-child.js');
const MODEL = 'aiart-text-to-image-rapid';
/** 2592 × 2592 pixels × 3 bytes, stored without compression: 20.2 MB (19.2 MiB). */
const LARGE_RESOLUTION = '2592:2592';
const WARM_UP_RESOLUTION = '512:512';

/** Medians over the runs of one implementation, bytes. */
export interface SaveFigures {
  /** Peak RSS growth with the garbage collector left alone. */
  readonly idleRss: number;
  /** Peak memory held (JS heap + Buffers) with a full GC before each sample. */
  readonly heldLive: number;
  /** Peak RSS growth with a full GC before each sample. */
  readonly heldRss: number;
  /** Every run's saved file carried our record. */
  readonly recordEmbedded: boolean;
  readonly runs: readonly SaveMemoryReport[];
}

export interface SaveMemoryBenchResult {
  /** Bytes the cloud served for the result. */
  readonly resultBytes: number;
  readonly savedBytes: number;
  readonly streaming: SaveFigures;
  readonly buffered: SaveFigures;
  readonly piped: SaveFigures;
}


function figures(runs: readonly SaveMemoryReport[]): SaveFigures {
  return {
    idleRss: median(runs.map((run) => run.idle.rss)),
    heldLive: median(runs.map((run) => run.collected.live)),
    heldRss: median(runs.map((run) => run.collected.rss)),
    recordEmbedded: runs.every((run) => run.recordEmbedded),
    runs,
  };
}

async function bundleChild(): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'save-memory-child.ts')],
    outfile: CHILD_BUNDLE,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

async function resultUrl(client: TencentCloudClient, prompt: string, resolution: string): Promise<{ url: string; requestId: string; seed: number }> {
  const reply = await client.call({ service: 'aiart', action: 'TextToImageRapid', params: { Prompt: prompt, Resolution: resolution, RspImgType: 'url' } });
  return { url: String(reply.response.ResultImage), requestId: reply.requestId, seed: Number(reply.response.Seed) };
}

/** Counts the bytes behind a URL without keeping them. */
async function contentLength(url: string): Promise<number> {
  const response = await fetch(url);
  let bytes = 0;
  for await (const chunk of response.body ?? []) bytes += (chunk as Uint8Array).length;
  return bytes;
}

async function measureInChild(request: SaveMemoryRequest): Promise<SaveMemoryReport> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', CHILD_BUNDLE, JSON.stringify(request)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as SaveMemoryReport;
}

export async function runSaveMemoryBench(runs: number, log: (line: string) => void): Promise<SaveMemoryBenchResult> {
  await bundleChild();
  const cloud = await startFakeCloud({ jobSeconds: 0, faults: ['stored-png'] });
  const client = new TencentCloudClient({ credentials: () => TEST_CREDENTIALS, endpoint: cloud.url });
  const directory = await mkdtemp(path.join(tmpdir(), 'aigc-bench-save-'));
  try {
    const prompt = 'a harbour at dawn, photographed in full resolution';
    const large = await resultUrl(client, prompt, LARGE_RESOLUTION);
    const warmUp = await resultUrl(client, `${prompt} (warm-up)`, WARM_UP_RESOLUTION);
    const resultBytes = await contentLength(large.url);
    const record: GenerationRecord = { prompt, model: MODEL, size: LARGE_RESOLUTION, seed: large.seed, requestId: large.requestId, time: new Date().toISOString() };
    log(`save: a ${(resultBytes / 1_048_576).toFixed(1)} MB result, each save in a fresh process…`);
    const reports: Record<SaveMode, SaveMemoryReport[]> = { streaming: [], buffered: [], piped: [] };
    for (let run = 1; run <= runs; run++) {
      for (const mode of ['streaming', 'buffered', 'piped'] as const) {
        const report = await measureInChild({ mode, warmUpUrl: warmUp.url, url: large.url, directory: await mkdtemp(path.join(directory, `${mode}-`)), record });
        const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
        log(
          `save: ${mode} ${run}/${runs}: GC left alone RSS +${mb(report.idle.rss)} in ${report.idle.durationMs.toFixed(0)} ms (${report.idle.samples} samples); ` +
            `held ${mb(report.collected.live)}, RSS +${mb(report.collected.rss)} in ${report.collected.durationMs.toFixed(0)} ms (${report.collected.samples} samples)`,
        );
        reports[mode].push(report);
      }
    }
    return {
      resultBytes,
      savedBytes: reports.streaming[0]!.savedBytes,
      streaming: figures(reports.streaming),
      buffered: figures(reports.buffered),
      piped: figures(reports.piped),
    };
  } finally {
    await client.close();
    await cloud.close();
    await rm(directory, { recursive: true, force: true });
  }
}
