/**
 * The simulated Tencent Cloud: one loopback node:http server that speaks the real protocol for
 * hunyuan, aiart and mps (routed by the service in the TC3 credential scope), runs jobs, serves
 * expiring result URLs and has fault switches. Tests, benchmarks and the demo start it here.
 *
 * It deliberately imports nothing from src/: it is the independent check of our client.
 *
 * Stats keys: `submits` and `requests` are keyed by action name (`SubmitHunyuanImageJob`; the
 * hunyuan and aiart `TextToImageLite` share one key), `maxRunning` by pool id — the catalog's
 * model ids, see DEFAULT_POOL_SIZES in limits.ts, which `concurrency` overrides use too.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudContext, ServiceName } from './actions/context';
import { parseFaults, type FaultState } from './faults';
import { makeUrlFetcher } from './image-input';
import { JobRunner } from './jobs';
import { Pools } from './limits';
import { ResultStore } from './results';
import { Router } from './router';

export { DEFAULT_POOL_SIZES } from './limits';

/** A documented fake key pair for tests and the demo. Not a secret; accepted only by this simulator. */
export const TEST_CREDENTIALS: { secretId: string; secretKey: string } = {
  secretId: 'AKID-fake-cloud-test-pair-0001',
  secretKey: 'FakeCloudTestKey0123456789abcdef',
};

export interface FakeCloudOptions {
  /** 0 / undefined = a random free port on 127.0.0.1. */
  port?: number;
  /** The one accepted key pair (default TEST_CREDENTIALS). */
  secretId?: string;
  secretKey?: string;
  /** When set, requests must carry X-TC-Token equal to it (and without it, none may be sent). */
  sessionToken?: string;
  /** How long async jobs (and sync calls) take, seconds; default 2. */
  jobSeconds?: number;
  /** Result-URL lifetime override, seconds (default 3600 hunyuan/aiart, 43200 mps). */
  resultUrlTtlSeconds?: number;
  /** Fault switches, see faults.ts, e.g. ['5xx', 'latency=3000', 'reset=submit']. */
  faults?: string[];
  /** Pool size overrides by pool id (e.g. { 'hunyuan-image-job': 2 }). */
  concurrency?: Record<string, number>;
}

export interface FakeCloudStats {
  submits: Record<string, number>;
  requests: Record<string, number>;
  limitErrors: number;
  maxRunning: Record<string, number>;
}

export interface FakeCloud {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  stats(): FakeCloudStats;
  /** Replaces the fault switches (throws on an unknown or malformed one). */
  setFaults(faults: string[]): void;
  close(): Promise<void>;
}

const DEFAULT_TTL_SECONDS: Readonly<Record<ServiceName, number>> = { hunyuan: 3600, aiart: 3600, mps: 43200 };

function checkPositive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new Error(`${name} must be a non-negative number`);
}

export async function startFakeCloud(options: FakeCloudOptions = {}): Promise<FakeCloud> {
  checkPositive('jobSeconds', options.jobSeconds);
  checkPositive('resultUrlTtlSeconds', options.resultUrlTtlSeconds);
  let faults: FaultState = parseFaults(options.faults ?? []);
  const counts = { submits: {} as Record<string, number>, requests: {} as Record<string, number>, limitErrors: 0 };
  const now = (): number => Date.now();
  const pools = new Pools(options.concurrency);
  const results = new ResultStore();
  const jobs = new JobRunner(pools, results, (options.jobSeconds ?? 2) * 1000, now);
  const context: CloudContext = {
    pools,
    jobs,
    fetchUrl: makeUrlFetcher((url) => results.lookup(url, now())),
    faults: () => faults,
    now,
    resultTtlSeconds: (service) => options.resultUrlTtlSeconds ?? DEFAULT_TTL_SECONDS[service],
    countSubmit: (action) => {
      counts.submits[action] = (counts.submits[action] ?? 0) + 1;
    },
    countLimitError: () => {
      counts.limitErrors += 1;
    },
  };
  const router = new Router({
    credentials: {
      secretId: options.secretId ?? TEST_CREDENTIALS.secretId,
      secretKey: options.secretKey ?? TEST_CREDENTIALS.secretKey,
      sessionToken: options.sessionToken,
    },
    context,
    results,
    countRequest: (action) => {
      counts.requests[action] = (counts.requests[action] ?? 0) + 1;
    },
  });
  const server = createServer((req, res) => router.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  results.baseUrl = url;
  return {
    url,
    port,
    stats: () => ({
      submits: { ...counts.submits },
      requests: { ...counts.requests },
      limitErrors: counts.limitErrors,
      maxRunning: { ...pools.maxRunning },
    }),
    setFaults(list) {
      faults = parseFaults(list);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        jobs.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
