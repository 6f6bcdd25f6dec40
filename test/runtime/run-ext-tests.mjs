#!/usr/bin/env node
// Runs the extension's mocha tests inside a real VS Code (code-server 4.100.3 = VS Code 1.100.3)
// Node extension host, driven by headless Debian chromium through playwright-core.
// Exit code = the tests' result (0 = all passed).
//
// The project's own adapted copy of the shared vscode-offline runner: it depends on nothing outside
// the repository (the runtime is installed by test/runtime/install.sh into .vscode-offline/).
// Usually started by test/runtime/integration.mjs (`npm run test:integration`).
//
// usage: node test/runtime/run-ext-tests.mjs [--runtime DIR] [--extensionDevelopmentPath DIR]
//          [--extensionTestsPath FILE] [--workspace DIR] [--timeout SEC] [--grep PATTERN]
//          [--output DIR] [--chromium PATH] [--keep] [--verbose]
//
// Defaults: runtime <repo>/.vscode-offline, extension = the repo, tests out/integration/index.js,
// workspace = a fresh temp folder (with .vscode/settings.json), timeout 600 s (or
// STUDIO_TEST_TIMEOUT), output <repo>/test-output. --grep reaches test/integration/index.ts as
// STUDIO_TEST_GREP.
//
// This process's environment reaches the extension host (runner -> code-server -> extension host);
// that is how the tests receive STUDIO_TEST_* variables and how they may set TENCENTCLOUD_*.
//
// Screenshots: a test logs `[[studio-screenshot]] {"name":..,"file":..}` (see
// test/integration/support/screenshot.ts). The line reaches this runner through
// window.codeAutomationLog; the runner saves a PNG of the whole workbench page to a temporary name
// and renames it to `file`, so a test that waits for `file` never sees half a PNG.
//
// Exit codes: 0 passed; 1 tests failed (or the test module failed to load); 2 setup; 3 timeout;
// 4 code-server died; 5 harness error. On any non-zero exit the server and extension-host logs are
// copied to <output>/integration-logs/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createTestWorkspace, writeUserSettings } from './profile.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOT_MARKER = '[[studio-screenshot]]';
// Start-up lines of the workbench that arrive through codeAutomationLog with the test output but
// say nothing about the tests (printed with --verbose).
const WORKBENCH_CHATTER = /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin|Updating additional builtin|\[Service Worker\]|ChatSessionStore|Creation of workbench contribution)/;

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const [k, v] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'true'];
    out[k] = v;
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
const runtime = path.resolve(args.runtime || process.env.VSCODE_OFFLINE_DIR || path.join(repo, '.vscode-offline'));
const devPath = path.resolve(args.extensionDevelopmentPath || repo);
const testsPath = path.resolve(args.extensionTestsPath || path.join(repo, 'out/integration/index.js'));
const outputDir = path.resolve(args.output || path.join(repo, 'test-output'));
const timeoutMs = Number(args.timeout || process.env.STUDIO_TEST_TIMEOUT || 600) * 1000;
const chromiumPath = args.chromium || process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

// code-server entry point inside the runtime folder made by install.sh
const entry = path.join(runtime, 'node_modules/code-server/out/node/entry.js');
if (!fs.existsSync(entry)) {
  console.error(`[harness] code-server not found at ${entry}; run test/runtime/install.sh first`);
  process.exit(2);
}
if (!fs.existsSync(testsPath)) {
  console.error(`[harness] no test bundle at ${testsPath}; build it first (npm run test:integration does)`);
  process.exit(2);
}
if (!fs.existsSync(chromiumPath)) {
  console.error(`[harness] no chromium at ${chromiumPath} (apt-get install chromium, or --chromium PATH)`);
  process.exit(2);
}
// install.sh puts node in DIR/node only when the system node's major is not the
// one code-server asks for (20 for 4.100.x).
const nodeBin = fs.existsSync(path.join(runtime, 'node/bin/node')) ? path.join(runtime, 'node/bin/node') : process.execPath;

// playwright-core lives in the runtime folder (install.sh), not in the project's dependencies.
let chromium;
for (const base of [runtime + '/', process.cwd() + '/', import.meta.url]) {
  try { ({ chromium } = createRequire(base)('playwright-core')); break; } catch { /* try next */ }
}
if (!chromium) { console.error('[harness] playwright-core not found in the runtime folder; rerun test/runtime/install.sh with FORCE=1'); process.exit(2); }

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Everything the server and browser write goes into a throwaway folder.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-vsc-test-'));
// A fresh workspace per run, so no test sees files or settings of an earlier run. The tests may
// edit its .vscode/settings.json (support/cloud.ts writes imageStudio.endpoint there).
const workspace = args.workspace ? path.resolve(args.workspace) : createTestWorkspace(path.join(tmp, 'workspace'));
const userDataDir = path.join(tmp, 'user-data');
writeUserSettings(userDataDir);
const screenshotDir = path.join(outputDir, 'screenshots');
fs.mkdirSync(screenshotDir, { recursive: true });
// What an earlier failed run left must not pass for this run's evidence.
fs.rmSync(path.join(screenshotDir, 'failure-workbench.png'), { force: true });
fs.rmSync(path.join(outputDir, 'integration-logs'), { recursive: true, force: true });

const port = await freePort();
const configFile = path.join(tmp, 'config.yaml');
fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\n`);

const serverArgs = [
  entry,
  '--config', configFile,
  '--bind-addr', `127.0.0.1:${port}`,
  '--auth', 'none',
  '--user-data-dir', userDataDir,
  '--extensions-dir', path.join(tmp, 'extensions'),
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
  '--disable-getting-started-override', '--ignore-last-opened',
];
// Newer VS Code builds (seen in code-server 4.139.x) only honour the
// extensionDevelopmentPath/extensionTestsPath URL payload when the server runs
// with --enable-smoke-test-driver. code-server's own CLI rejects unknown flags,
// but newer releases forward VS Code flags via --vscode-option. 4.100.x has
// neither the guard nor the passthrough, and needs nothing.
const cliJs = fs.readFileSync(path.join(runtime, 'node_modules/code-server/out/node/cli.js'), 'utf8');
if (cliJs.includes('"vscode-option"')) serverArgs.push('--vscode-option', 'enable-smoke-test-driver');
const server = spawn(nodeBin, serverArgs, {
  // own process group so we can end exactly the tree we started
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    // No marketplace: code-server defaults to open-vsx.org, which only produces
    // DNS errors offline. An empty gallery config disables it.
    EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY || '{}',
    // Read by test/integration (index.ts: the mocha grep; support/screenshot.ts: where PNGs go
    // and that this runner can take them).
    STUDIO_TEST_GREP: args.grep && args.grep !== 'true' ? args.grep : (process.env.STUDIO_TEST_GREP || ''),
    STUDIO_TEST_OUTPUT: outputDir,
    STUDIO_TEST_SCREENSHOTS: '1',
    // Where VS Code writes the log files (support/logs.ts reads the extension's own channel).
    STUDIO_TEST_LOGS_DIR: path.join(userDataDir, 'logs'),
  },
});
const serverLog = fs.createWriteStream(path.join(tmp, 'server.log'));
server.stdout.pipe(serverLog); server.stderr.pipe(serverLog);

let browser;
let page;
let finished = false;

// Copies what explains a failure (code-server's log, the extension host and renderer logs) out of
// the temp folder before it is deleted.
function keepLogs() {
  const dest = path.join(outputDir, 'integration-logs');
  try {
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(dest, { recursive: true });
    if (fs.existsSync(path.join(tmp, 'server.log'))) fs.copyFileSync(path.join(tmp, 'server.log'), path.join(dest, 'server.log'));
    if (fs.existsSync(path.join(userDataDir, 'logs'))) fs.cpSync(path.join(userDataDir, 'logs'), path.join(dest, 'logs'), { recursive: true });
    console.log(`[harness] logs kept in ${dest}`);
  } catch (e) {
    console.log(`[harness] could not keep logs: ${e.message}`);
  }
}

async function finish(code, why) {
  if (finished) return;
  finished = true;
  if (why) console.log(`[harness] ${why}`);
  if (code !== 0 && page && !page.isClosed()) {
    try {
      await page.screenshot({ path: path.join(screenshotDir, 'failure-workbench.png'), timeout: 5000 });
      console.log(`[harness] screenshot of the workbench at exit: ${path.join(screenshotDir, 'failure-workbench.png')}`);
    } catch { /* the page may be gone */ }
  }
  try { await browser?.close(); } catch { /* ignore */ }
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
  if (code !== 0) keepLogs();
  if (!args.keep) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`[harness] kept ${tmp}`);
  console.log(`[harness] exit code ${code} after ${since()}`);
  process.exit(code);
}
process.on('uncaughtException', e => finish(5, `harness error: ${e.stack || e}`));
process.on('unhandledRejection', e => finish(5, `harness error: ${e?.stack || e}`));
process.on('SIGINT', () => finish(130, 'interrupted'));
process.on('SIGTERM', () => finish(143, 'terminated'));
setTimeout(() => finish(3, `timeout after ${timeoutMs / 1000}s`), timeoutMs);
server.on('exit', c => { if (!finished) finish(4, `code-server exited early (${c})`); });

// Wait for "HTTP server listening on http://127.0.0.1:PORT/"
await new Promise(resolve => {
  let buf = '';
  server.stdout.on('data', d => {
    buf += d;
    if (/HTTP server listening on/.test(buf)) resolve();
  });
});
console.log(`[harness] code-server up on 127.0.0.1:${port} after ${since()}`);

// Playwright refuses '--user-data-dir' in args; a persistent context with a
// fresh folder is the supported way to pin the profile location.
browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
  executablePath: chromiumPath,
  headless: true,
  // chromium writes $HOME/.config/chromium/Crash Reports and ~/.cache/dconf
  // whatever --user-data-dir says; keep those in the temp dir too.
  env: { ...process.env, HOME: path.join(tmp, 'home'), XDG_CONFIG_HOME: path.join(tmp, 'home/.config'), XDG_CACHE_HOME: path.join(tmp, 'home/.cache') },
  viewport: { width: 1280, height: 800 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage',
  ],
});
page = browser.pages()[0] ?? await browser.newPage();

// Screenshots are taken one at a time, in the order the tests ask for them.
let screenshotQueue = Promise.resolve();
function requestScreenshot(json) {
  let request;
  try { request = JSON.parse(json); } catch { console.log(`[harness] malformed screenshot request: ${json}`); return; }
  const file = path.resolve(String(request.file || ''));
  // Only into the output folder: the request arrives from test code, but a typo must not write elsewhere.
  if (!file.startsWith(screenshotDir + path.sep) || !file.endsWith('.png')) {
    console.log(`[harness] refused screenshot outside ${screenshotDir}: ${file}`);
    return;
  }
  screenshotQueue = screenshotQueue.then(async () => {
    const partial = `${file}.partial-${process.pid}`;
    try {
      await page.screenshot({ path: partial, type: 'png', timeout: 20000 });
      fs.renameSync(partial, file);
      console.log(`[harness] screenshot ${path.relative(repo, file)} (${since()})`);
    } catch (e) {
      fs.rmSync(partial, { force: true });
      console.log(`[harness] screenshot ${file} failed: ${e.message}`);
    }
  });
}

// The workbench calls window.codeAutomationExit(code) when the extension host
// finishes the tests, and window.codeAutomationLog(type, args) for its logs.
await page.exposeFunction('codeAutomationExit', async code => {
  await screenshotQueue;
  return finish(code, code === 0 ? 'tests passed' : 'tests failed');
});
await page.exposeFunction('codeAutomationLog', (_type, logArgs) => {
  const parts = logArgs || [];
  const line = parts.map(String).join(' ');
  const at = line.indexOf(SCREENSHOT_MARKER);
  if (at >= 0) return requestScreenshot(line.slice(at + SCREENSHOT_MARKER.length).trim());
  if (!args.verbose && WORKBENCH_CHATTER.test(line)) return;
  console.log(...parts);
});
page.on('console', msg => {
  // Extension-host output reaches codeAutomationLog already; the page console is noise unless asked.
  if (args.verbose) console.log(`[page] ${msg.text()}`);
});
// Keep the browser on loopback: abort (and report) any other request.
await browser.route('**/*', route => {
  const u = new URL(route.request().url());
  if (/^(https?|wss?):$/.test(u.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    console.log(`[harness] blocked non-loopback request ${u.href}`);
    return route.abort();
  }
  return route.continue();
});
page.on('pageerror', e => console.log(`[pageerror] ${e.message}`));

// Test paths go in the workbench URL "payload", as vscode-remote URIs that
// point at this server (its remote authority is the Host header).
const authority = `127.0.0.1:${port}`;
const remote = p => `vscode-remote://${authority}${p}`;
const payload = [
  ['extensionDevelopmentPath', remote(devPath)],
  ['extensionTestsPath', remote(testsPath)],
  ['skipWelcome', 'true'],
];
const url = `http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
console.log(`[harness] workspace ${workspace}`);
await page.goto(url);
