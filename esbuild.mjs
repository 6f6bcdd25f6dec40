// Bundles: `dist/extension.js` is what VS Code loads at activation and must stay tiny
// (design.md budget: 30 KB): it registers commands and views only. `dist/studio.js` holds the
// VS Code layer, undici, zod and src/core and is required on first use, so activation never pays
// for it. Webview scripts are bundled for the browser into media/, next to the codicon font they
// use (copied from @vscode/codicons: a .vsix carries no node_modules). media/tasks.js, media/gallery.js and
// media/codicons/ are build output (git-ignored); every build writes them, and `npm run package`
// builds first, so the .vsix always has them.
import { copyFileSync, mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

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

function copyCodicons() {
  mkdirSync('media/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `media/codicons/${file}`);
}

copyCodicons();
if (watch) {
  await Promise.all([extension, webviews].map(async (options) => (await esbuild.context(options)).watch()));
} else {
  await Promise.all([esbuild.build(extension), esbuild.build(webviews)]);
}
