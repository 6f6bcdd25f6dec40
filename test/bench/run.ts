/**
 * `npm run bench`: prints every figure with its goal (design.md "Performance budgets") and, where
 * there is one, the ratio against the comparison run made in the same process; writes the same
 * table to bench/results.md. Figures, not pass/fail: nothing here runs in `npm test`.
 *
 * Environment: BENCH_N (tasks, default 60), BENCH_JOB_MS (server job time, default 1500: not a multiple of the SDK script's interval, as a real job length would not be),
 * BENCH_SDK_POLL_MS (the SDK script's fixed poll interval, default 1000).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { POLL_MIN_DELAY_MS } from '../../src/core/jobs/poller';
import { runBaseline, runEngine, type ThroughputRun } from './throughput';

const N = Number(process.env.BENCH_N ?? 60);
const JOB_MS = Number(process.env.BENCH_JOB_MS ?? 1500);
const SDK_POLL_MS = Number(process.env.BENCH_SDK_POLL_MS ?? 1000);

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly goal: string;
  readonly ratio: string;
  readonly met: string;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const verdict = (ok: boolean): string => (ok ? 'yes' : 'NO');

function throughputRows(pool: number, ours: ThroughputRun, sdk: ThroughputRun): Row[] {
  const floor = Math.ceil(N / pool) * JOB_MS;
  const goal = 1.05 * floor + POLL_MIN_DELAY_MS;
  const delays = ours.detectionDelaysMs;
  const per = (run: ThroughputRun): string => (run.queries / Math.max(1, run.submits)).toFixed(1);
  return [
    {
      figure: `makespan, N=${N}, m=${pool}, L=${seconds(JOB_MS)} (floor ⌈N/m⌉·L = ${seconds(floor)})`,
      value: `${seconds(ours.makespanMs)} (${(ours.makespanMs / floor).toFixed(3)} × floor)`,
      goal: `≤ ${seconds(goal)} (1.05 × floor + one poll interval)`,
      ratio: `${(ours.makespanMs / sdk.makespanMs).toFixed(2)} × SDK script (${seconds(sdk.makespanMs)})`,
      met: verdict(ours.makespanMs <= goal),
    },
    {
      figure: `limit errors / failed tasks, m=${pool}`,
      value: `${ours.limitErrors} / ${ours.failures}`,
      goal: '0 / 0',
      ratio: `SDK script: ${sdk.limitErrors} / ${sdk.failures}`,
      met: verdict(ours.limitErrors === 0 && ours.failures === 0),
    },
    {
      figure: `submits (billed jobs), m=${pool}`,
      value: String(ours.submits),
      goal: `= N (${N}): nothing billed twice`,
      ratio: `SDK script: ${sdk.submits}`,
      met: verdict(ours.submits === N),
    },
    {
      figure: `detection delay after the job finished, m=${pool} (median / p95 / max)`,
      value: `${quantile(delays, 0.5).toFixed(0)} / ${quantile(delays, 0.95).toFixed(0)} / ${Math.max(...delays).toFixed(0)} ms`,
      goal: `≤ max(0.5 s, 10 % of L) = ${Math.max(500, 0.1 * JOB_MS).toFixed(0)} ms`,
      ratio: `SDK script polls every ${SDK_POLL_MS} ms`,
      met: verdict(Math.max(...delays) <= Math.max(500, 0.1 * JOB_MS)),
    },
    {
      figure: `queries per job, m=${pool}`,
      value: per(ours),
      goal: 'logarithmic in L; ≤ 20/s per action',
      ratio: `${(ours.queries / Math.max(1, sdk.queries)).toFixed(2)} × SDK script (${per(sdk)} per job)`,
      met: verdict(ours.limitErrors === 0),
    },
  ];
}

function table(rows: readonly Row[]): string {
  const header = ['figure', 'measured', 'goal', 'comparison (same run)', 'met'];
  const lines = rows.map((r) => [r.figure, r.value, r.goal, r.ratio, r.met]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const pool of [3, 1]) {
    process.stderr.write(`[bench] throughput m=${pool}: engine…\n`);
    const ours = await runEngine(N, pool, JOB_MS);
    process.stderr.write(`[bench] throughput m=${pool}: official SDK script…\n`);
    const sdk = await runBaseline(N, pool, JOB_MS, SDK_POLL_MS);
    rows.push(...throughputRows(pool, ours, sdk));
  }
  const output = table(rows);
  console.log(output);
  await mkdir('bench', { recursive: true });
  await writeFile(
    'bench/results.md',
    `# Benchmark results\n\n\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, node ${process.version}, against the simulated cloud on loopback.\n\n${output}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
