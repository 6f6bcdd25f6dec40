// The extensionTestsPath entry (same contract under code-server and @vscode/test-electron): the
// extension host requires out/integration/index.js and awaits run(); its result is the exit code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { installSourceMappedStacks } from './support/source-maps';

/** Runs first: it checks that activation alone does not load the engine bundle, which any test that runs a command would do. */
const FIRST = 'activation.test.js';

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => (a === FIRST ? -1 : b === FIRST ? 1 : a.localeCompare(b)))
    .map((f) => path.join(dir, f));
}

export function run(): Promise<void> {
  // The bundles carry linked source maps: failures then point at the .ts lines.
  installSourceMappedStacks(__dirname);
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    // Generous: a cloud job in the simulator takes seconds, and CI machines are slow.
    timeout: 60_000,
    slow: 5_000,
  });
  // STUDIO_TEST_GREP: set by the runners from `--grep PATTERN`.
  const grep = process.env.STUDIO_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of testFiles(__dirname)) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
    } catch (error) {
      reject(error);
    }
  });
}
