#!/usr/bin/env node
// `npm run test:integration [-- --grep PATTERN] [-- --keep --verbose --timeout SEC]`
//
// 1. bundles the extension (esbuild.mjs, development mode: source maps);
// 2. bundles test/integration/index.ts and every test/integration/**/*.test.ts into
//    out/integration/ (cjs for the Node extension host; 'vscode' comes from the host and 'mocha'
//    from node_modules at run time, everything else — src/**, test/fake-cloud — is inlined, so
//    tests import TypeScript directly);
// 3. installs the offline VS Code runtime into .vscode-offline/ on first use (a no-op afterwards);
// 4. runs the bundled suite inside its extension host (run-ext-tests.mjs) and exits with its code.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildForIntegrationTests } from './bundle-tests.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

try {
  await buildForIntegrationTests(repo);
} catch (error) {
  console.error(`[integration] ${error.message}`);
  process.exit(2);
}

const install = spawnSync('bash', [path.join(repo, 'test/runtime/install.sh')], { cwd: repo, stdio: 'inherit' });
if (install.status !== 0) {
  console.error(`[integration] installing the offline VS Code runtime failed (exit code ${install.status ?? install.signal})`);
  process.exit(2);
}

const runner = spawnSync(process.execPath, [path.join(repo, 'test/runtime/run-ext-tests.mjs'),
  '--extensionTestsPath', path.join(repo, 'out/integration/index.js'), ...process.argv.slice(2)], { cwd: repo, stdio: 'inherit' });
if (runner.error) throw runner.error;
process.exit(runner.status ?? 1);
