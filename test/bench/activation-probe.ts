/**
 * The extension-host side of the activation benchmark (activation.ts): the window's
 * extensionTestsPath, bundled into out/bench/probe-extension/ and required by the extension host
 * once it has started, with AIGC Image Studio and the empty extension installed side by side,
 * neither active yet. It waits for the host's own start-up activations (built-in
 * extensions) to settle, so their work does not land inside a measurement, activates a third
 * extension that does nothing (the first activation after start-up costs more, whichever it is),
 * then times the cold activation of each and their first commands, and writes the figures to the
 * requested file.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { type Contender, PROBE_REQUEST_ENV, type ProbeRequest, type ProbeResult } from './activation-protocol';

/**
 * The host's start-up is over when, for QUIET_MS, the set of active extensions has not changed and
 * the event loop was busy less than MAX_UTILIZATION of every poll interval: built-in extensions
 * finishing their activation, or the remote host's first scan of /proc for ports to forward (an
 * `ls` and a walk over every process, seconds on a busy machine), would otherwise land inside a
 * measurement.
 */
const QUIET_MS = 1_500;
const POLL_MS = 100;
const MAX_UTILIZATION = 0.05;
const SETTLE_LIMIT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function settle(): Promise<number> {
  const started = performance.now();
  let active = '';
  let quietSince = started;
  let loop = performance.eventLoopUtilization();
  while (performance.now() - started < SETTLE_LIMIT_MS) {
    const now = vscode.extensions.all
      .filter((extension) => extension.isActive)
      .map((extension) => extension.id)
      .join();
    if (now !== active) {
      active = now;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= QUIET_MS) {
      break;
    }
    await sleep(POLL_MS);
    const { utilization } = performance.eventLoopUtilization(loop);
    loop = performance.eventLoopUtilization();
    if (utilization > MAX_UTILIZATION) quietSince = performance.now();
  }
  return performance.now() - started;
}

async function timed(action: () => Thenable<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

/** Wall time and the host's CPU time of `action`, ms. */
async function timedWithCpu(action: () => Thenable<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const wall = await timed(action);
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

function extension(id: string): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(id);
  if (!found) throw new Error(`extension ${id} is not loaded in the extension host`);
  if (found.isActive) throw new Error(`extension ${id} was activated before the benchmark: the cold activation cannot be measured`);
  return found;
}

const isLoaded = (file: string): boolean => Object.prototype.hasOwnProperty.call(require.cache, file);

export async function run(): Promise<void> {
  const request = JSON.parse(process.env[PROBE_REQUEST_ENV] ?? 'null') as ProbeRequest | null;
  if (!request) throw new Error(`${PROBE_REQUEST_ENV} is not set: this module is started by test/bench/activation.ts`);
  const settledAfterMs = await settle();
  const extensions = { ours: extension(request.ids.ours), empty: extension(request.ids.empty) };
  await extension(request.warmUpId).activate();
  const dist = path.join(extensions.ours.extensionPath, 'dist');
  const order: Contender[] = request.first === 'ours' ? ['ours', 'empty'] : ['empty', 'ours'];

  const activateMs = { ours: NaN, empty: NaN };
  const activateCpuMs = { ours: NaN, empty: NaN };
  for (const contender of order) {
    ({ wall: activateMs[contender], cpu: activateCpuMs[contender] } = await timedWithCpu(() => extensions[contender].activate()));
  }
  const activationBundleLoaded = isLoaded(path.join(dist, 'extension.js'));
  const engineLoadedAtActivation = isLoaded(path.join(dist, 'studio.js'));

  const firstCommandMs = { ours: NaN, empty: NaN };
  for (const contender of order) firstCommandMs[contender] = await timed(() => vscode.commands.executeCommand(request.commands[contender]));
  const engineLoadedAfterCommand = isLoaded(path.join(dist, 'studio.js'));

  const result: ProbeResult = { order, activateMs, activateCpuMs, firstCommandMs, settledAfterMs, activationBundleLoaded, engineLoadedAtActivation, engineLoadedAfterCommand };
  writeFileSync(request.resultFile, JSON.stringify(result));
}
