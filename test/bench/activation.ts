/**
 * The activation benchmark (design.md: cold `getExtension(id).activate()` ≤ 1.5 × an empty
 * extension's, measured in the same run; the activation bundle ≤ 30 KB; the engine loaded on
 * first use). K fresh starts of the offline VS Code (new code-server process, new user-data and
 * extensions folders), each with our .vsix (as `npm run package` makes it: the production build)
 * and the empty extension of test/bench/empty-extension installed side by side, so both load the
 * same way into one extension host, where activation-probe.ts times both activations and both
 * first commands. Before them, the probe activates an extension that does nothing (the first
 * activation after the host's start-up costs a few milliseconds more, whichever extension it is),
 * and which of the two goes next alternates from start to start. Medians are reported, and the
 * median of the two's ratio within each start.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import packageJson from '../../package.json';
import emptyPackageJson from './empty-extension/package.json';
import { type Contender, PROBE_REQUEST_ENV, type ProbeRequest, type ProbeResult } from './activation-protocol';
import { runInExtensionHost } from './offline-vscode';
import { median } from './stats';
import { packageEmptyExtension } from './vsix';

const repo = path.resolve(__dirname, '../..');
/**
 * The window's development extension (VS Code runs an extensionTestsPath module only in an
 * extension-development window), written at run time. It holds the bundled probe, so the probe's
 * `require('vscode')` belongs to an extension, and an activate() that does nothing: the probe
 * activates it first, to take the extra cost of the first activation after start-up.
 */
const PROBE_EXTENSION = path.join(repo, 'out/bench/probe-extension');
const PROBE_BUNDLE = path.join(PROBE_EXTENSION, 'probe.js');
const PROBE_MANIFEST = { name: 'bench-probe', publisher: 'aigc-image-studio-bench', version: '0.0.1', engines: { vscode: '^1.100.0' }, main: './warm-up.js' };
/** A command of ours that needs the engine (dist/studio.js), and resolves once it has shown the task panel. */
const OUR_FIRST_COMMAND = 'imageStudio.showTasks';

export interface ActivationBenchOptions {
  /** Ours, from `npm run package` (vsix.ts). */
  readonly vsix: string;
  readonly starts: number;
  readonly log: (line: string) => void;
}

export interface ActivationBenchResult {
  readonly starts: readonly ProbeResult[];
  readonly activateMedianMs: Readonly<Record<Contender, number>>;
  /**
   * Median over the starts of ours ÷ empty within the start: both measured in the same host a few
   * milliseconds apart, so what makes a whole start slow or fast cancels out.
   */
  readonly activateRatioMedian: number;
  readonly activateCpuMedianMs: Readonly<Record<Contender, number>>;
  /** The same median of ratios, of the extension host's CPU time. */
  readonly activateCpuRatioMedian: number;
  readonly firstCommandMedianMs: Readonly<Record<Contender, number>>;
  /** In every start, dist/extension.js was in require.cache after activation: the check below can see our bundles. */
  readonly activationBundleSeen: boolean;
  /** In some start, dist/studio.js was in require.cache right after activation. */
  readonly engineLoadedAtActivation: boolean;
  /** In every start, dist/studio.js was loaded by the first command (the check above can see it). */
  readonly engineLoadedByFirstCommand: boolean;
}


async function writeProbeExtension(): Promise<void> {
  rmSync(PROBE_EXTENSION, { recursive: true, force: true });
  mkdirSync(PROBE_EXTENSION, { recursive: true });
  writeFileSync(path.join(PROBE_EXTENSION, 'package.json'), JSON.stringify(PROBE_MANIFEST, null, 2));
  writeFileSync(path.join(PROBE_EXTENSION, 'warm-up.js'), 'exports.activate = () => undefined;\n');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'activation-probe.ts')],
    outfile: PROBE_BUNDLE,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
}

async function oneStart(install: readonly string[], first: Contender, log: (line: string) => void): Promise<ProbeResult> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'studio-bench-activation-'));
  const resultFile = path.join(folder, 'result.json');
  const request: ProbeRequest = {
    first,
    ids: { ours: `${packageJson.publisher}.${packageJson.name}`, empty: `${emptyPackageJson.publisher}.${emptyPackageJson.name}` },
    warmUpId: `${PROBE_MANIFEST.publisher}.${PROBE_MANIFEST.name}`,
    commands: { ours: OUR_FIRST_COMMAND, empty: emptyPackageJson.contributes.commands[0]!.command },
    resultFile,
  };
  try {
    const run = await runInExtensionHost({
      install,
      developmentPath: PROBE_EXTENSION,
      testsPath: PROBE_BUNDLE,
      env: { [PROBE_REQUEST_ENV]: JSON.stringify(request) },
      log,
    });
    if (run.exitCode !== 0 || !existsSync(resultFile)) {
      throw new Error(`the activation probe failed (exit code ${run.exitCode}); the extension host logged:\n${run.lines.join('\n')}`);
    }
    return JSON.parse(readFileSync(resultFile, 'utf8')) as ProbeResult;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export async function runActivationBench({ vsix, starts, log }: ActivationBenchOptions): Promise<ActivationBenchResult> {
  await writeProbeExtension();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'studio-bench-empty-'));
  const results: ProbeResult[] = [];
  try {
    const install = [vsix, packageEmptyExtension(path.join(folder, 'empty-extension.vsix'))];
    for (let i = 0; i < starts; i++) {
      const first: Contender = i % 2 === 0 ? 'ours' : 'empty';
      const result = await oneStart(install, first, log);
      log(
        `activation: start ${i + 1}/${starts} (${first} first, host settled after ${result.settledAfterMs.toFixed(0)} ms): ` +
          `activate ours ${result.activateMs.ours.toFixed(2)} ms (CPU ${result.activateCpuMs.ours.toFixed(2)}), empty ${result.activateMs.empty.toFixed(2)} ms (CPU ${result.activateCpuMs.empty.toFixed(2)}); ` +
          `first command ours ${result.firstCommandMs.ours.toFixed(1)} ms, empty ${result.firstCommandMs.empty.toFixed(2)} ms`,
      );
      results.push(result);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const medians = (pick: (result: ProbeResult) => Readonly<Record<Contender, number>>) => ({
    ours: median(results.map((result) => pick(result).ours)),
    empty: median(results.map((result) => pick(result).empty)),
  });
  return {
    starts: results,
    activateMedianMs: medians((result) => result.activateMs),
    activateRatioMedian: median(results.map((result) => result.activateMs.ours / result.activateMs.empty)),
    activateCpuMedianMs: medians((result) => result.activateCpuMs),
    activateCpuRatioMedian: median(results.map((result) => result.activateCpuMs.ours / result.activateCpuMs.empty)),
    firstCommandMedianMs: medians((result) => result.firstCommandMs),
    activationBundleSeen: results.every((result) => result.activationBundleLoaded),
    engineLoadedAtActivation: results.some((result) => result.engineLoadedAtActivation),
    engineLoadedByFirstCommand: results.every((result) => result.engineLoadedAfterCommand),
  };
}
