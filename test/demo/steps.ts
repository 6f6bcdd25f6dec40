// A setup step run as a child process in its own process group (so a stop can end it and whatever it
// started), timed, with its output shown only when it fails, unless the user should watch it.
import { spawnGroup, stopGroup } from './process-group';
import type { Cleanup } from './cleanup';

export interface StepOptions {
  readonly cleanup: Cleanup;
  /** Let the step print as it goes (a long first-run install); otherwise its output shows only on failure. */
  readonly showOutput?: boolean;
  readonly environment?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export async function runStep(what: string, command: string, args: readonly string[], options: StepOptions): Promise<void> {
  if (options.cleanup.closed) throw new Error(`not ${what}: the demo is stopping`);
  const started = Date.now();
  console.log(`[demo] ${what}…`);
  const step = spawnGroup(command, args, {
    stdio: options.showOutput ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    env: options.environment ?? process.env,
    cwd: options.cwd,
  });
  const unregister = options.cleanup.add(what, () => step.child.pid && stopGroup(step.child.pid, step.hasExited));
  let output = '';
  step.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  step.child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const how = await step.exited;
  unregister();
  if (options.cleanup.closed) throw new Error(`${what} was interrupted: the demo is stopping`);
  if (how !== 'exit code 0') {
    process.stderr.write(output);
    throw new Error(`${what} failed (${how})`);
  }
  console.log(`[demo] ${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
