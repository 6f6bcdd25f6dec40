/**
 * The .vsix files the benchmarks install and measure: ours made exactly as `npm run package` makes
 * it (production build, then vsce), and the empty extension of the activation benchmark.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const vsce = path.join(repo, 'node_modules/.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');

/** Runs `npm run package`; returns the .vsix it wrote. */
export function packageStudio(): string {
  execFileSync(npm, ['run', 'package'], { cwd: repo, stdio: 'pipe' });
  return path.join(repo, 'aigc-image-studio.vsix');
}

/** Packages test/bench/empty-extension into `outFile`. */
export function packageEmptyExtension(outFile: string): string {
  execFileSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', outFile], {
    cwd: path.join(__dirname, 'empty-extension'),
    stdio: 'pipe',
  });
  return outFile;
}
