// VS Code in the browser: the offline runtime (code-server 4.100.3 = VS Code 1.100.3's server, web
// workbench and Node extension host, installed by test/runtime/install.sh into .vscode-offline/).
// It listens on loopback only and without a password: the address is reachable from this machine only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Editor, EditorLaunch, Ending } from './editor';
import { spawnGroup, stopGroup } from './process-group';
import { runStep } from './steps';

export interface OfflineLaunch extends EditorLaunch {
  /** Where install.sh puts the runtime. */
  readonly runtime: string;
  /** 0 = a free port chosen by the system. */
  readonly port: number;
}

export async function startOfflineVsCode(launch: OfflineLaunch): Promise<Editor> {
  const { sandbox, cleanup } = launch;
  const entry = path.join(launch.runtime, 'node_modules/code-server/out/node/entry.js');
  if (!fs.existsSync(entry)) {
    // First use only: code-server compiles its native modules (about 40 s, 320 MB); later runs skip this.
    const install = path.join(launch.repo, 'test/runtime/install.sh');
    await runStep('installing the offline VS Code (first run only, about a minute)', 'bash', [install, launch.runtime], { cleanup, showOutput: true });
  }
  const bundledNode = path.join(launch.runtime, 'node/bin/node');
  const node = fs.existsSync(bundledNode) ? bundledNode : process.execPath;
  const environment: NodeJS.ProcessEnv = {
    ...launch.environment,
    // code-server's marketplace is open-vsx.org: offline that is only DNS errors in the log.
    EXTENSIONS_GALLERY: '{}',
    // code-server writes config and logs under these (~/.config, ~/.local/share) whatever its user-data-dir.
    XDG_CONFIG_HOME: path.join(sandbox.root, 'xdg/config'),
    XDG_DATA_HOME: path.join(sandbox.root, 'xdg/data'),
    XDG_CACHE_HOME: path.join(sandbox.root, 'xdg/cache'),
  };
  const cli = [entry, '--config', '/dev/null', '--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions];
  await runStep('installing the extension into the demo profile', node, [...cli, '--install-extension', launch.vsix, '--force'], { cleanup, environment });

  if (cleanup.closed) throw new Error('not starting code-server: the demo is stopping');
  const log = fs.openSync(sandbox.log, 'a');
  const server = spawnGroup(
    node,
    [
      ...cli,
      ...['--bind-addr', `127.0.0.1:${launch.port}`, '--auth', 'none'],
      ...['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'],
      // Opens the sample workspace at http://127.0.0.1:PORT/, not a folder remembered from before.
      ...['--ignore-last-opened', sandbox.workspace],
    ],
    { stdio: ['ignore', 'pipe', log], env: environment },
  );
  fs.closeSync(log);
  let stopping = false;
  cleanup.add('code-server', async () => {
    stopping = true;
    if (server.child.pid) await stopGroup(server.child.pid, server.hasExited);
  });

  const url = await new Promise<string>((resolve, reject) => {
    let heard = '';
    let found = false;
    server.child.stdout?.on('data', (chunk: Buffer) => {
      fs.appendFileSync(sandbox.log, chunk);
      if (found) return;
      heard += chunk.toString();
      // With port 0 the system chooses; this line says which.
      const listening = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(heard);
      if (listening) {
        found = true;
        resolve(listening[1]!);
      }
    });
    void server.exited.then((how) => reject(new Error(`code-server stopped before it listened (${how}). The end of its log:\n${sandbox.logTail()}`)));
  });

  return {
    name: 'VS Code in the browser',
    url,
    ended: server.exited.then(
      (how) =>
        new Promise<Ending>((resolve) => {
          if (!stopping) resolve({ expected: false, message: `code-server stopped unexpectedly (${how}). The end of its log:\n${sandbox.logTail()}` });
        }),
    ),
  };
}
