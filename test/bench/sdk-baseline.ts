/**
 * The comparison run for the throughput benchmark: the same batch driven the way a user would
 * script it with the official SDK — a fixed number of workers, each submitting one job, polling
 * it at a fixed interval, then downloading its result. No scheduler, no adaptive polling.
 */
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import * as tencentcloud from 'tencentcloud-sdk-nodejs';

export interface BaselineOptions {
  /** The simulated cloud's port (the SDK reaches it as hunyuan.tencentcloudapi.com:PORT). */
  readonly port: number;
  readonly secretId: string;
  readonly secretKey: string;
  readonly prompts: readonly string[];
  readonly workers: number;
  readonly pollIntervalMs: number;
}

export interface BaselineResult {
  readonly makespanMs: number;
  readonly queries: number;
  readonly errors: readonly string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSdkBaseline(options: BaselineOptions): Promise<BaselineResult> {
  // tencent-api.md §1.7: the SDK signs the endpoint's hostname and takes the service from its
  // first label, so it is pointed at loopback through an agent whose lookup answers 127.0.0.1.
  const agent = new Agent({
    keepAlive: true,
    // Node's happy-eyeballs connect asks for every address (`all: true`), plain connect for one.
    lookup: ((_host: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      lookupOptions.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as unknown as LookupFunction,
  });
  const client = new tencentcloud.hunyuan.v20230901.Client({
    credential: { secretId: options.secretId, secretKey: options.secretKey },
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: `hunyuan.tencentcloudapi.com:${options.port}`, protocol: 'http://', agent } },
  });

  const queue = [...options.prompts];
  const errors: string[] = [];
  let queries = 0;
  const started = performance.now();

  async function worker(): Promise<void> {
    for (let prompt = queue.shift(); prompt !== undefined; prompt = queue.shift()) {
      try {
        const { JobId = "" } = await client.SubmitHunyuanImageJob({ Prompt: prompt });
        for (;;) {
          await sleep(options.pollIntervalMs);
          queries++;
          const status = await client.QueryHunyuanImageJob({ JobId });
          if (status.JobStatusCode === '4') throw new Error(`${status.JobErrorCode}: ${status.JobErrorMsg}`);
          if (status.JobStatusCode === '5') {
            for (const url of status.ResultImage ?? []) {
              const reply = await fetch(url);
              await reply.arrayBuffer();
            }
            break;
          }
        }
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  }

  await Promise.all(Array.from({ length: options.workers }, worker));
  agent.destroy();
  return { makespanMs: performance.now() - started, queries, errors };
}
