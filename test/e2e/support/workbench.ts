// The real product as a user gets it: the packaged .vsix installed into a fresh code-server (VS Code
// 1.100.3's server, web workbench and Node extension host, from .vscode-offline/), opened in Debian's
// Chromium through playwright-core. Everything either writes goes into one temporary folder.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { waitFor } from '../../integration/support/wait';
import { launchChromium } from './browser';

export interface WorkbenchOptions {
  /** The offline runtime made by test/runtime/install.sh (code-server in node_modules). */
  readonly runtime: string;
  /** The packaged extension; installed with `code-server --install-extension`, never loaded from the dev folder. */
  readonly vsix: string;
  /**
   * Files of the workspace folder to open, by relative path. With `workspaceFolders`, relative to the
   * folder that holds the workspace's folders ('docs/notes.md' lies in the folder 'docs').
   */
  readonly files: Readonly<Record<string, string>>;
  /**
   * Opens a multi-root workspace instead of one folder: a `.code-workspace` file listing these
   * folders, in this order (each created, empty unless `files` puts something in it).
   */
  readonly workspaceFolders?: readonly string[];
  /** User settings besides the quiet-workbench ones (e.g. imageStudio.endpoint). */
  readonly userSettings: Readonly<Record<string, unknown>>;
  readonly chromiumPath?: string;
  /** Extra environment of code-server and its extension host (e.g. the TENCENTCLOUD_* test pair). */
  readonly environment?: Readonly<Record<string, string>>;
}

export interface Workbench {
  readonly page: Page;
  /** The workspace folder on disk; for a multi-root workspace, the folder holding its folders and its file. */
  readonly workspace: string;
  /** The `.code-workspace` file, when a multi-root workspace was opened. */
  readonly workspaceFile?: string;
  /** The temporary folder with every log (server.log, user-data/logs). */
  readonly tmp: string;
  /** Closes the browser and ends code-server's process group; removes the temporary folder unless `keep`. */
  close(keep: boolean): Promise<void>;
}

/** Settings that keep the welcome page, tips, trust prompts and the marketplace out of the screenshots. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  // The Markdown file is the first thing in the shots; no minimap crowding the editor.
  'editor.minimap.enabled': false,
};

/** The SDK's credential variables: the first-run flow needs a window that has none. */
const CREDENTIAL_VARIABLES = ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function writeFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** Creates `folders` under `root` and the `.code-workspace` file that lists them (relative paths, as VS Code saves them). */
function writeWorkspaceFile(root: string, folders: readonly string[]): string {
  for (const folder of folders) fs.mkdirSync(path.join(root, folder), { recursive: true });
  const file = path.join(root, 'studio.code-workspace');
  writeFile(file, JSON.stringify({ folders: folders.map((folder) => ({ path: folder })), settings: {} }, null, 2));
  return file;
}

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const entry = path.join(options.runtime, 'node_modules/code-server/out/node/entry.js');
  if (!fs.existsSync(entry)) throw new Error(`no code-server at ${entry}; run test/runtime/install.sh`);
  const bundledNode = path.join(options.runtime, 'node/bin/node');
  const node = fs.existsSync(bundledNode) ? bundledNode : process.execPath;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-'));

  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    // code-server's gallery is open-vsx.org: offline that is only DNS errors.
    EXTENSIONS_GALLERY: '{}',
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
  };
  for (const name of CREDENTIAL_VARIABLES) delete serverEnv[name];
  Object.assign(serverEnv, options.environment);

  const extensionsDir = path.join(tmp, 'extensions');
  execFileSync(node, [entry, '--config', '/dev/null', '--extensions-dir', extensionsDir, '--install-extension', options.vsix, '--force'], {
    env: serverEnv,
    stdio: 'pipe',
  });

  const workspace = path.join(tmp, 'workspace');
  for (const [rel, content] of Object.entries(options.files)) writeFile(path.join(workspace, rel), content);
  const workspaceFile = options.workspaceFolders ? writeWorkspaceFile(workspace, options.workspaceFolders) : undefined;
  const userData = path.join(tmp, 'user-data');
  writeFile(path.join(userData, 'User/settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.userSettings }, null, 2));

  const port = await freePort();
  const configFile = path.join(tmp, 'config.yaml');
  writeFile(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\n`);
  const server: ChildProcess = spawn(
    node,
    [
      entry,
      ...['--config', configFile, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none'],
      ...['--user-data-dir', userData, '--extensions-dir', extensionsDir],
      ...['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened'],
    ],
    // Its own process group, so close() ends exactly the tree started here (extension host included).
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv },
  );
  const serverLog = fs.createWriteStream(path.join(tmp, 'server.log'));
  server.stdout?.pipe(serverLog);
  server.stderr?.pipe(serverLog);
  let exited: number | null | undefined;
  server.once('exit', (code) => {
    exited = code;
  });
  let output = '';
  server.stdout?.on('data', (chunk: Buffer) => {
    if (output.length < 10_000) output += chunk.toString();
  });
  await waitFor('code-server to listen', () => {
    if (exited !== undefined) throw new Error(`code-server exited (${exited}); see ${tmp}/server.log`);
    return /HTTP server listening on/.test(output);
  }, { timeoutMs: 60_000, intervalMs: 50 });

  let context: BrowserContext | undefined;
  const close = async (keep: boolean): Promise<void> => {
    await context?.close().catch(() => undefined);
    await endProcessGroup(server, () => exited !== undefined);
    if (!keep) fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const chromium = await launchChromium(tmp, options.chromiumPath);
    context = chromium.context;
    const page = chromium.page;
    // code-server opens a workspace file with ?workspace=, a folder with ?folder=.
    const opened = workspaceFile ? `workspace=${encodeURIComponent(workspaceFile)}` : `folder=${encodeURIComponent(workspace)}`;
    await page.goto(`http://127.0.0.1:${port}/?${opened}`);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    return { page, workspace, workspaceFile, tmp, close };
  } catch (error) {
    await close(true);
    throw error;
  }
}

/** SIGTERM to the group started by `server` (code-server, its extension host, its pty host); SIGKILL if it lingers. */
async function endProcessGroup(server: ChildProcess, hasExited: () => boolean): Promise<void> {
  const signal = (name: NodeJS.Signals): void => {
    try {
      if (server.pid) process.kill(-server.pid, name);
    } catch {
      // already gone
    }
  };
  if (hasExited()) return;
  signal('SIGTERM');
  try {
    await waitFor('code-server to exit', hasExited, { timeoutMs: 5_000, intervalMs: 50 });
  } catch {
    signal('SIGKILL');
  }
}

/** Closes the window and its server; after a failure their logs are kept, and where is printed. */
export async function closeWorkbench(workbench: Workbench | undefined, failed: boolean): Promise<void> {
  await workbench?.close(failed);
  if (failed && workbench) console.log(`      [e2e] server and extension-host logs kept in ${workbench.tmp}`);
}
