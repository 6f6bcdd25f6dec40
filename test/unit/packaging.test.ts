// What the .vsix carries, checked with `vsce ls` (the same file selection `npm run package` packs,
// with the same --no-dependencies; no zip is made): the files the extension runs, and no test,
// source, source map or development file. `npm test` runs the development build first, which writes
// source maps next to the bundles: this is the run in which .vscodeignore must keep them out.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import packageJson from '../../package.json';

const repo = path.resolve(__dirname, '../..');
const vsce = path.join(repo, 'node_modules/@vscode/vsce/vsce');

/** What the extension loads at run time: the two bundles, the webviews, localisation and the notices. */
const RUNTIME_FILES = [
  'package.json',
  'package.nls.json',
  'package.nls.zh-cn.json',
  'l10n/bundle.l10n.zh-cn.json',
  'dist/extension.js',
  'dist/studio.js',
  'media/tasks.js',
  'media/gallery.js',
  'media/codicons/codicon.css',
  'media/codicons/codicon.ttf',
  'LICENSE',
  'README.md',
  'CHANGELOG.md',
];

/** Development material, each with why it must not ship. */
const FORBIDDEN: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(src|test|out|bench|docs|\.ci|\.vscode|node_modules|test-output|\.vscode-offline|\.vscode-test)\//, 'a development folder'],
  [/\.map$/, 'a source map'],
  [/\.(ts|tsx|mts|cts)$/, 'TypeScript source'],
  [/(^|\/)tsconfig[^/]*\.json$/, 'TypeScript configuration'],
  [/(^|\/)esbuild\.[cm]?js$/, 'the build script'],
  [/(^|\/)\.mocharc/, 'test configuration'],
  [/(^|\/)(package-lock\.json|\.vscodeignore|\.gitignore|\.npmrc)$/, 'repository configuration'],
  [/\.vsix$/, 'an earlier package'],
  // The English source bundle and anything else @vscode/l10n-dev writes: VS Code reads only bundle.l10n.<locale>.json.
  [/^l10n\/(?!bundle\.l10n\.[a-z]{2}(-[a-z]{2,4})?\.json$)/, 'a localisation development file'],
];

function listPackagedFiles(): string[] {
  const output = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repo, encoding: 'utf8' });
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

describe('packaging (vsce ls)', function () {
  // vsce takes about a second; the development build, when this suite has to make it, under one.
  this.timeout(60_000);
  let files: string[];

  before(() => {
    // `npm test` has built already; a lone `npm run test:unit` on a fresh clone builds here, so the
    // runtime files exist to be listed (a missing bundle would otherwise just be absent from the list).
    if (!['dist/extension.js', 'dist/studio.js', 'media/tasks.js', 'media/gallery.js'].every((file) => existsSync(path.join(repo, file)))) {
      execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'ignore' });
    }
    files = listPackagedFiles();
  });

  it('ships every file the extension runs', () => {
    const missing = RUNTIME_FILES.filter((file) => !files.includes(file));
    assert.deepEqual(missing, [], `not in the package: ${missing.join(', ')}\npackaged: ${files.join(', ')}`);
  });

  it('ships no test, source, source map or development file', () => {
    const shipped = files.flatMap((file) => FORBIDDEN.filter(([pattern]) => pattern.test(file)).map(([, why]) => `${file} (${why})`));
    assert.deepEqual(shipped, [], `development files in the package:\n${shipped.join('\n')}`);
  });

  it('leaves out the source maps the development build writes next to the bundles', () => {
    const maps = readdirSync(path.join(repo, 'dist')).filter((file) => file.endsWith('.map'));
    // After a development build (as in `npm test`) they exist; then their absence above means something.
    for (const map of maps) assert.ok(!files.includes(`dist/${map}`), `dist/${map} is packaged`);
    assert.ok(files.some((file) => file.startsWith('dist/')), 'nothing from dist/ is listed: the check above would prove nothing');
  });

  it('packs only a production build: vsce builds one before every package and publish', () => {
    // The development build's media/*.js carry inline source maps and its bundles are not minified:
    // `vsce package` (and `npm run package`, which calls it) must rebuild for production first.
    assert.match(packageJson.scripts['vscode:prepublish'] ?? '', /node esbuild\.mjs --production/);
    assert.match(packageJson.scripts.package, /^vsce package /);
  });
});
