// The demo's children each run in a process group of their own (spawned `detached`): stopping one
// then ends everything it started too (code-server's extension host and pty host; VS Code's
// renderer and extension host), and the Ctrl+C the terminal sends to the demo's own group does not
// reach them, so the demo decides the order things stop in. POSIX only, like the demo.
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';

export interface GroupProcess {
  readonly child: ChildProcess;
  /** Resolves when the group's leader has exited: its exit code, or the signal that ended it. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
}

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions): GroupProcess {
  const child = spawn(command, args, { ...options, detached: true });
  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      done = true;
      resolve(error.message);
    });
    child.once('exit', (code, signal) => {
      done = true;
      resolve(signal ? `signal ${signal}` : `exit code ${code}`);
    });
  });
  return { child, exited, hasExited: () => done };
}

/**
 * SIGTERM to the group led by `pid` (a graceful stop: code-server and VS Code close their extension
 * hosts); SIGKILL to the group after `graceMs` or once the leader is gone, for any member that outlived it.
 */
export async function stopGroup(pid: number, hasEnded: () => boolean, graceMs = 5_000): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (!hasEnded() && Date.now() < deadline) await sleep(50);
  signalGroup(pid, 'SIGKILL');
}

/** True while a process with this id exists (a zombie counts: it has not been reaped yet). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is empty already.
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
