/**
 * One fresh window of the offline VS Code (code-server 4.100.3 = VS Code 1.100.3, installed by
 * test/runtime/install.sh) with some .vsix files installed, the way a user installs them, and a
 * module run inside its extension host as the window's extensionTestsPath: for benchmarks that
 * must measure inside the real host.
 *
 * The same mechanism as test/runtime/run-ext-tests.mjs (paths in the workbench URL's `payload`,
 * exit code through window.codeAutomationExit). The payload is read into a Map, so it carries a
 * single extensionDevelopmentPath: that is the probe's own folder (VS Code runs tests only in an
 * extension-development window), and the extensions under test are installed into the fresh
 * extensions folder instead, so they load side by side, in the same way, in the same host.
 * Everything the server and browser write goes into a temporary folder that is removed afterwards
 * (BENCH_KEEP=1 keeps it, with the extension-host logs).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');

export interface ExtensionHostRunOptions {
  /** .vsix files installed into the fresh extensions folder before the window opens. */
  readonly install: readonly string[];
  /** The development extension of the window: a folder with a package.json. */
  readonly developmentPath: string;
  /** The module the extension host requires and whose run() it awaits. */
  readonly testsPath: string;
  /** Added to the environment of code-server, which passes it on to the extension host. */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly log: (line: string) => void;
}

export interface ExtensionHostRun {
  /** 0 when run() resolved. */
  readonly exitCode: number;
  /** What the extension host logged (console output of run() included). */
  readonly lines: readonly string[];
}

// playwright-core is a module of the offline runtime (install.sh), not necessarily of the project.
interface Page {
  goto(url: string): Promise<unknown>;
  exposeFunction(name: string, fn: (...args: never[]) => unknown): Promise<void>;
}
interface Browser {
  newPage(options: object): Promise<Page>;
  close(): Promise<void>;
}
interface Chromium {
  launch(options: object): Promise<Browser>;
}

/** code-server's entry, the node to run it with, and playwright-core's Chromium (typed by the caller: each uses its own part). */
export function offlineRuntime<C = Chromium>(): { entry: string; nodeBin: string; chromium: C } {
  const runtime = path.resolve(process.env.VSCODE_OFFLINE_DIR ?? path.join(repo, '.vscode-offline'));
  const entry = path.join(runtime, 'node_modules/code-server/out/node/entry.js');
  if (!existsSync(entry)) throw new Error(`no offline VS Code at ${runtime}: run test/runtime/install.sh (npm run test:integration installs it)`);
  // install.sh puts a node of code-server's major in DIR/node only when the system's is another.
  const nodeBin = existsSync(path.join(runtime, 'node/bin/node')) ? path.join(runtime, 'node/bin/node') : process.execPath;
  for (const base of [`${runtime}/`, `${repo}/`]) {
    try {
      return { entry, nodeBin, chromium: (createRequire(base)('playwright-core') as { chromium: C }).chromium };
    } catch {
      // try the next place
    }
  }
  throw new Error('playwright-core not found: run test/runtime/install.sh');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
}

/** code-server's folders and environment: everything it writes stays in `tmp`. */
function serverSetup(tmp: string): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: ['--config', path.join(tmp, 'config.yaml'), '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions')],
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data'), XDG_CACHE_HOME: path.join(tmp, 'xdg-cache') },
  };
}

function installExtensions(entry: string, nodeBin: string, tmp: string, vsixFiles: readonly string[]): void {
  if (vsixFiles.length === 0) return;
  const { args, env } = serverSetup(tmp);
  execFileSync(nodeBin, [entry, ...args, ...vsixFiles.flatMap((file) => ['--install-extension', file])], { env, stdio: 'pipe' });
}

function startServer(entry: string, nodeBin: string, tmp: string, port: number, extraEnv: Readonly<Record<string, string>>): Promise<ChildProcess> {
  const { args, env } = serverSetup(tmp);
  const server = spawn(
    nodeBin,
    [entry, ...args, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened'],
    // Its own process group: ending it ends the extension host and pty host with it.
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...extraEnv } },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('HTTP server listening on')) resolve(server);
    });
    server.once('exit', (code) => reject(new Error(`code-server exited (${code}) before listening:\n${output}`)));
  });
}

/** Ends the server's process group and waits for it: a benchmark's next start must not share the CPUs with this one's shutdown. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null || !server.pid) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

/** Opens a fresh window with the extensions and the tests module; resolves when run() has settled. */
export async function runInExtensionHost(options: ExtensionHostRunOptions): Promise<ExtensionHostRun> {
  const { entry, nodeBin, chromium } = offlineRuntime();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'studio-bench-host-'));
  const workspace = path.join(tmp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(path.join(tmp, 'config.yaml'), '');
  writeJson(path.join(tmp, 'user-data/User/settings.json'), {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    // The remote extension host looks for ports to forward by reading /proc and running
    // `ls -l /proc/*/fd/*` every few seconds: milliseconds of work that would land inside some
    // measurements and not others (a local VS Code window does not do it).
    'remote.autoForwardPorts': false,
  });
  const port = await freePort();
  const lines: string[] = [];
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    installExtensions(entry, nodeBin, tmp, options.install);
    server = await startServer(entry, nodeBin, tmp, port, options.env ?? {});
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
      env: { ...process.env, HOME: path.join(tmp, 'home'), XDG_CONFIG_HOME: path.join(tmp, 'home/.config'), XDG_CACHE_HOME: path.join(tmp, 'home/.cache') },
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      lines.push((args ?? []).map(String).join(' '));
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(options.developmentPath)],
      ['extensionTestsPath', remote(options.testsPath)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the extension host did not finish within ${timeoutMs / 1000} s; it logged:\n${lines.join('\n')}`)), timeoutMs);
    });
    try {
      return { exitCode: await Promise.race([exited, timedOut]), lines };
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    if (server) await stopServer(server);
    if (process.env.BENCH_KEEP === '1') options.log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}
