#!/usr/bin/env node
// `npm run test:e2e [-- --grep PATTERN]`
//
// 1. packages the extension (`npm run package` -> aigc-image-studio.vsix): the tests install what a
//    user installs, never the development folder;
// 2. installs the offline VS Code runtime into .vscode-offline/ on first use (test/runtime/install.sh,
//    a no-op afterwards);
// 3. runs test/e2e/*.e2e.ts with mocha in this Node process tree: each suite starts the simulated
//    cloud on loopback, installs the .vsix into a fresh code-server and drives it with Chromium.
//
// Screenshots: test-output/e2e/<step>.png, and failure-<test>.png for a failed test.
// Exit code: mocha's (0 passed, >0 failed tests), 2 when packaging or the runtime install failed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

/** Runs a setup step quietly; its output is shown only when it fails. */
function step(what, command, args) {
  const result = spawnSync(command, args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    console.error(`[e2e] ${what} failed (exit code ${result.status ?? result.signal ?? result.error?.message})`);
    process.exit(2);
  }
  console.log(`[e2e] ${what} done (${since()})`);
}

step('npm run package', 'npm', ['run', 'package']);
step('the offline VS Code runtime', 'bash', [path.join(repo, 'test/runtime/install.sh')]);

const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const run = spawnSync(process.execPath, [mocha, '--config', path.join(repo, 'test/e2e/mocharc.json'), ...process.argv.slice(2)], {
  cwd: repo,
  stdio: 'inherit',
});
console.log(`[e2e] exit code ${run.status ?? 1} after ${since()}`);
process.exit(run.status ?? 1);
