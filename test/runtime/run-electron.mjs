#!/usr/bin/env node
// `npm run test:integration:electron [-- --grep PATTERN]`: the same bundled integration suite in a
// desktop VS Code (Electron) through @vscode/test-electron, when one can be had:
//   - VSCODE_DESKTOP_EXECUTABLE=/path/to/code (the binary, e.g. /usr/share/code/code or
//     .../Visual Studio Code.app/Contents/MacOS/Electron): that one is used;
//   - otherwise VS Code is downloaded into .vscode-test/ (VSCODE_DESKTOP_VERSION, default
//     "stable") when its download server is reachable AND a display exists (Linux: DISPLAY or
//     WAYLAND_DISPLAY, e.g. under xvfb-run) — Electron cannot start headless without one.
//     VSCODE_DESKTOP_DOWNLOAD=0 turns the download off.
// When neither applies, it prints why this path is skipped and exits 0: the offline code-server
// runtime (npm run test:integration) has already run the suite in the same extension host code.
import dns from 'node:dns/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildForIntegrationTests } from './bundle-tests.mjs';
import { createTestWorkspace, writeUserSettings } from './profile.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DOWNLOAD_HOST = 'update.code.visualstudio.com';
const log = (line) => console.log(`[electron] ${line}`);

function grepArgument(argv) {
  const at = argv.findIndex((a) => a === '--grep' || a.startsWith('--grep='));
  if (at < 0) return '';
  return argv[at].includes('=') ? argv[at].slice('--grep='.length) : (argv[at + 1] ?? '');
}

function hasDisplay() {
  return process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
}

async function canReach(host) {
  try {
    await Promise.race([dns.lookup(host), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000))]);
    return true;
  } catch {
    return false;
  }
}

/** The VS Code binary to run, or the reason there is none. */
async function desktopVsCode() {
  const given = process.env.VSCODE_DESKTOP_EXECUTABLE;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`VSCODE_DESKTOP_EXECUTABLE=${given} does not exist`);
    return { executable: given };
  }
  if (process.env.VSCODE_DESKTOP_DOWNLOAD === '0') return { skip: 'VSCODE_DESKTOP_DOWNLOAD=0 and no VSCODE_DESKTOP_EXECUTABLE' };
  const reasons = [];
  if (!hasDisplay()) reasons.push('no display for Electron (DISPLAY/WAYLAND_DISPLAY unset; try xvfb-run)');
  if (!(await canReach(DOWNLOAD_HOST))) reasons.push(`${DOWNLOAD_HOST} is not reachable, so no desktop VS Code can be downloaded`);
  if (reasons.length > 0) return { skip: `${reasons.join('; ')}; set VSCODE_DESKTOP_EXECUTABLE to a desktop VS Code to run this path` };
  const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  const version = process.env.VSCODE_DESKTOP_VERSION || 'stable';
  log(`downloading VS Code ${version} into .vscode-test/`);
  return { executable: await downloadAndUnzipVSCode({ version, cachePath: path.join(repo, '.vscode-test') }) };
}

const choice = await desktopVsCode().catch((error) => {
  console.error(`[electron] ${error.message}`);
  process.exit(2);
});
if (choice.skip) {
  log(`skipped: ${choice.skip}`);
  process.exit(0);
}

await buildForIntegrationTests(repo);
const { runTests } = await import('@vscode/test-electron');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-electron-test-'));
const userDataDir = path.join(tmp, 'user-data');
writeUserSettings(userDataDir);
const outputDir = path.join(repo, 'test-output');
let code;
try {
  log(`running the suite in ${choice.executable}`);
  code = await runTests({
    vscodeExecutablePath: choice.executable,
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'out/integration/index.js'),
    launchArgs: [
      createTestWorkspace(path.join(tmp, 'workspace')),
      '--user-data-dir', userDataDir,
      '--extensions-dir', path.join(tmp, 'extensions'),
      // runTests adds --skip-welcome, --disable-workspace-trust, --no-sandbox and the test paths itself.
      '--disable-extensions',
    ],
    // Same variables as the offline runner gives, except screenshots (there is no page to capture:
    // support/screenshot.ts canTakeScreenshots() is false and those tests skip).
    extensionTestsEnv: {
      STUDIO_TEST_GREP: grepArgument(process.argv.slice(2)),
      STUDIO_TEST_OUTPUT: outputDir,
      STUDIO_TEST_LOGS_DIR: path.join(userDataDir, 'logs'),
    },
  });
} catch (error) {
  // runTests rejects with TestRunFailedError when the tests fail or VS Code cannot start.
  log(`failed: ${error.message}`);
  code = typeof error.code === 'number' && error.code !== 0 ? error.code : 1;
}
if (code !== 0) {
  const dest = path.join(outputDir, 'integration-logs-electron');
  fs.rmSync(dest, { recursive: true, force: true });
  if (fs.existsSync(path.join(userDataDir, 'logs'))) {
    fs.cpSync(path.join(userDataDir, 'logs'), dest, { recursive: true });
    log(`logs kept in ${dest}`);
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
log(`exit code ${code}`);
process.exit(code);
