// Builds what the extension host loads for the integration tests; shared by both runners (the
// offline code-server one and @vscode/test-electron).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

/** The extension's own bundles (esbuild.mjs, development mode: source maps), then the tests. */
export async function buildForIntegrationTests(repo) {
  const extension = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
  if (extension.status !== 0) throw new Error(`node esbuild.mjs failed (exit code ${extension.status ?? extension.signal})`);
  const tests = await bundleIntegrationTests(repo);
  console.log(`[integration] bundled ${tests.length} test file(s) into out/integration/`);
}

/** Finds test/integration/**\/*.test.ts, bundles them and index.ts into out/integration/; returns the test entry points. */
export async function bundleIntegrationTests(repo) {
  const sourceDir = path.join(repo, 'test/integration');
  const outDir = path.join(repo, 'out/integration');
  const tests = fs.readdirSync(sourceDir, { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.test.ts'))
    .map(f => path.join(sourceDir, f))
    .sort();
  // A stale bundle of a deleted or renamed test must not run.
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(sourceDir, 'index.ts'), ...tests],
    outbase: sourceDir,
    outdir: outDir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // 'vscode' is provided by the extension host; mocha must be the one index.ts loads, so that
    // describe/it in the test files register on the same runner.
    // './studio.js': src/extension.ts (imported by the activation test for its COMMANDS list)
    // requires the engine bundle lazily at run time; it is never bundled into a test.
    external: ['vscode', 'mocha', './studio.js'],
    // index.ts turns source maps on, so stack traces point at the .ts lines.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  return tests;
}
