// Bundles: `dist/extension.js` is what VS Code loads at activation and must stay tiny
// (design.md budget: 30 KB): it registers commands and views only. `dist/studio.js` holds the
// VS Code layer, undici, zod and src/core and is required on first use, so activation never pays
// for it. Webview scripts are bundled for the browser into media/, next to the codicon font they
// use: @vscode/codicons cut down to the icons of src/shared/codicons.ts (build/codicons.ts; a .vsix
// carries no node_modules). media/tasks.js, media/gallery.js and media/codicons/ are build output
// (git-ignored); every build writes them, and `npm run package` builds first, so the .vsix always has them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { register } from 'tsx/cjs/api';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const extension = {
  entryPoints: { extension: 'src/extension.ts', studio: 'src/vscode/studio.ts' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  external: ['vscode', './studio.js'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'info',
  metafile: true,
};

const webviews = {
  entryPoints: { tasks: 'src/webview/tasks/main.ts', gallery: 'src/webview/gallery/main.ts' },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  // The Chromium of VS Code 1.100 (Electron 34) and later.
  target: 'chrome120',
  outdir: 'media',
  minify: production,
  // Inline in development: no .map file in media/ that a later `npm run package` could ship.
  sourcemap: production ? false : 'inline',
  legalComments: 'none',
  logLevel: 'info',
};

// Written once per run: `--watch` does not follow src/shared/codicons.ts (restart it after adding an icon).
async function writeCodicons() {
  // The icon list is TypeScript (the pages type-check against it): tsx loads it, as mocha does.
  const unregister = register();
  const require = createRequire(import.meta.url);
  const { CODICON_NAMES } = require('./src/shared/codicons.ts');
  const { subsetCodicons } = require('./build/codicons.ts');
  unregister();
  const source = 'node_modules/@vscode/codicons/dist';
  const subset = await subsetCodicons(CODICON_NAMES, { css: readFileSync(`${source}/codicon.css`, 'utf8'), font: readFileSync(`${source}/codicon.ttf`) });
  mkdirSync('media/codicons', { recursive: true });
  writeFileSync('media/codicons/codicon.css', subset.css);
  writeFileSync('media/codicons/codicon.ttf', subset.font);
}

// A missing icon stops the build with its name, not with a stack of tsx-compiled source.
await writeCodicons().catch((error) => {
  console.error(`✘ media/codicons: ${error.message}`);
  process.exit(1);
});
if (watch) {
  await Promise.all([extension, webviews].map(async (options) => (await esbuild.context(options)).watch()));
} else {
  await Promise.all([esbuild.build(extension), esbuild.build(webviews)]);
}
