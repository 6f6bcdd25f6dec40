/**
 * Scheduler throughput and polling, measured against the simulated cloud: N hunyuan image jobs of
 * server time L through a pool of m, by our engine and by a plain official-SDK script.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileImageSaver } from '../../src/core/images/saver';
import { GenerationEngine } from '../../src/core/jobs/engine';
import { MemoryJournal } from '../../src/core/jobs/journal';
import type { TaskSnapshot } from '../../src/core/jobs/task';
import { getProvider } from '../../src/core/providers/catalog';
import { TencentCloudClient } from '../../src/core/tencent/client';
import { startFakeCloud, TEST_CREDENTIALS } from '../fake-cloud/index';
import { runSdkBaseline } from './sdk-baseline';

const MODEL = 'hunyuan-image-job';
const POOL = 'hunyuan-image-job';

export interface ThroughputRun {
  readonly makespanMs: number;
  readonly limitErrors: number;
  readonly failures: number;
  readonly submits: number;
  readonly queries: number;
  /** Per job: from the moment the cloud finished it to the moment we noticed, ms. */
  readonly detectionDelaysMs: readonly number[];
}

const prompts = (n: number, tag: string): string[] => Array.from({ length: n }, (_, i) => `${tag} benchmark landscape number ${i + 1}`);

/** Our engine: every task started at once; the scheduler holds them to the pool. */
export async function runEngine(n: number, pool: number, jobMs: number): Promise<ThroughputRun> {
  const cloud = await startFakeCloud({ jobSeconds: jobMs / 1000, concurrency: { [POOL]: pool } });
  const directory = await mkdtemp(join(tmpdir(), 'aigc-bench-'));
  const client = new TencentCloudClient({ credentials: () => TEST_CREDENTIALS, endpoint: cloud.url });
  const engine = new GenerationEngine({
    caller: client,
    saver: new FileImageSaver(),
    journal: new MemoryJournal(),
    getProvider,
    poolSizes: { [POOL]: pool },
  });
  try {
    const started = performance.now();
    const tasks = prompts(n, `m${pool}`).map((prompt) => engine.start({ modelId: MODEL, prompt }, { directory }));
    const finished: TaskSnapshot[] = await Promise.all(tasks.map((task) => task.settled));
    const makespanMs = performance.now() - started;
    const stats = cloud.stats();
    return {
      makespanMs,
      limitErrors: stats.limitErrors,
      failures: finished.filter((task) => task.state !== 'saved').length,
      submits: stats.submits.SubmitHunyuanImageJob ?? 0,
      queries: stats.requests.QueryHunyuanImageJob ?? 0,
      // `running` is stamped when the submit answered (the cloud's job clock starts just before),
      // `downloading` when a query first found the job done.
      detectionDelaysMs: finished.map((task) => (task.timestamps.downloading ?? NaN) - (task.timestamps.running ?? NaN) - jobMs),
    };
  } finally {
    engine.dispose();
    await client.close();
    await cloud.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** The same batch as a plain official-SDK script: m workers, fixed poll interval. */
export async function runBaseline(n: number, pool: number, jobMs: number, pollIntervalMs: number): Promise<ThroughputRun> {
  const cloud = await startFakeCloud({ jobSeconds: jobMs / 1000, concurrency: { [POOL]: pool } });
  try {
    const result = await runSdkBaseline({ port: cloud.port, ...TEST_CREDENTIALS, prompts: prompts(n, `sdk${pool}`), workers: pool, pollIntervalMs });
    const stats = cloud.stats();
    return {
      makespanMs: result.makespanMs,
      limitErrors: stats.limitErrors,
      failures: result.errors.length,
      submits: stats.submits.SubmitHunyuanImageJob ?? 0,
      queries: stats.requests.QueryHunyuanImageJob ?? 0,
      detectionDelaysMs: [],
    };
  } finally {
    await cloud.close();
  }
}
