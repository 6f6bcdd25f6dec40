/**
 * What the activation benchmark (activation.ts, in Node) and its probe (activation-probe.ts, in
 * the extension host) tell each other: the request travels in an environment variable (code-server
 * passes its environment on to the extension host), the result in a JSON file.
 */
export const PROBE_REQUEST_ENV = 'BENCH_ACTIVATION_PROBE';

export type Contender = 'ours' | 'empty';

export interface ProbeRequest {
  /** Which extension is activated (and whose command is run) first; the benchmark alternates it. */
  readonly first: Contender;
  /** Extension ids in the host. */
  readonly ids: Readonly<Record<Contender, string>>;
  /**
   * An extension that does nothing, activated before both (the probe's own): the first activation
   * after the host's start-up pays a few milliseconds more whichever extension it is, so neither
   * contender should be the one to pay them.
   */
  readonly warmUpId: string;
  /** The command each runs first: ours loads the engine, the empty one's does nothing. */
  readonly commands: Readonly<Record<Contender, string>>;
  /** Where the probe writes its ProbeResult. */
  readonly resultFile: string;
}

export interface ProbeResult {
  readonly order: readonly Contender[];
  /** performance.now() around `await getExtension(id).activate()`, ms. */
  readonly activateMs: Readonly<Record<Contender, number>>;
  /**
   * process.cpuUsage() (user + system) of the extension host over the same span, ms: the work done,
   * without the waits for the workbench's replies (storage) that a busy machine stretches.
   */
  readonly activateCpuMs: Readonly<Record<Contender, number>>;
  /** performance.now() around `await executeCommand(command)` right after, ms. */
  readonly firstCommandMs: Readonly<Record<Contender, number>>;
  /** The extension host's start-up activations had settled before the measurement, after this long, ms. */
  readonly settledAfterMs: number;
  /** dist/extension.js was in require.cache after our activation (positive control of the next figure). */
  readonly activationBundleLoaded: boolean;
  /** dist/studio.js was in require.cache after our activation: it must not be. */
  readonly engineLoadedAtActivation: boolean;
  /** dist/studio.js was in require.cache after our first command: it must be. */
  readonly engineLoadedAfterCommand: boolean;
}
