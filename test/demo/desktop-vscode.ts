// Desktop VS Code, when its `code` command is on PATH: a separate instance (VS Code runs one per
// user-data-dir) with the sandbox's profile and extensions folder, so the user's own windows,
// settings and extensions are neither used nor changed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Editor, EditorLaunch, Ending } from './editor';
import { isAlive, sleep, spawnGroup, stopGroup } from './process-group';
import { runStep } from './steps';

const STARTUP_TIMEOUT_MS = 60_000;

/** The `code` command on PATH, if any. */
export function findCodeCommand(environment: NodeJS.ProcessEnv): string | undefined {
  // In WSL, `code` opens the Windows VS Code through its WSL bridge: it cannot take this side's
  // paths for its profile, so the demo uses the browser there.
  if (environment.WSL_DISTRO_NAME) return undefined;
  for (const folder of (environment.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(folder, 'code');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export async function startDesktopVsCode(launch: EditorLaunch & { readonly code: string }): Promise<Editor> {
  const { sandbox, cleanup, code, environment } = launch;
  const profile = ['--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions];
  await runStep('installing the extension into the demo profile', code, [...profile, '--install-extension', launch.vsix, '--force'], { cleanup, environment });

  if (cleanup.closed) throw new Error('not starting VS Code: the demo is stopping');
  // The `code` command starts VS Code detached (a process group of its own) and, with --wait, stays
  // until that window closes: its exit tells the demo the user closed VS Code.
  const log = fs.openSync(sandbox.log, 'a');
  const cli = spawnGroup(code, ['--new-window', '--wait', ...profile, sandbox.workspace], { stdio: ['ignore', log, log], env: environment });
  fs.closeSync(log);
  // VS Code writes its main process id to code.lock in its user-data-dir: the leader of the group to stop.
  const lockFile = path.join(sandbox.userData, 'code.lock');
  const mainProcess = (): number | undefined => {
    const pid = Number.parseInt(fs.existsSync(lockFile) ? fs.readFileSync(lockFile, 'utf8') : '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  };
  let stopping = false;
  cleanup.add('VS Code', async () => {
    stopping = true;
    const pid = mainProcess();
    if (pid) await stopGroup(pid, () => !isAlive(pid));
    if (cli.child.pid) await stopGroup(cli.child.pid, cli.hasExited);
  });

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!mainProcess()) {
    if (cli.hasExited()) throw new Error(`VS Code closed before it opened the demo window (${await cli.exited}). Its output:\n${sandbox.logTail()}`);
    if (Date.now() > deadline) throw new Error(`VS Code did not start within ${STARTUP_TIMEOUT_MS / 1000} s; try npm run demo -- --browser`);
    await sleep(100);
  }

  return {
    name: 'VS Code',
    ended: cli.exited.then(
      (how) =>
        new Promise<Ending>((resolve) => {
          if (stopping) return;
          resolve(how === 'exit code 0' ? { expected: true, message: 'The VS Code window was closed.' } : { expected: false, message: `VS Code stopped unexpectedly (${how})` });
        }),
    ),
  };
}
