// Stack traces that point at test/integration/*.ts and src/**/*.ts instead of bundle lines.
// process.setSourceMapsEnabled() is not enough inside VS Code's extension host: the host installs
// its own Error.prepareStackTrace, which bypasses Node's source-map rewriting. So we chain onto
// whatever formatter is installed and map the "file.js:line:column" positions of our bundles
// (out/integration/*.js, with esbuild's linked .map files) through node:module's SourceMap.
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';

const maps = new Map<string, SourceMap | undefined>();

function mapFor(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = undefined;
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

/** Rewrites every position inside `bundleDir` to its original source position (when the map has one). */
export function mapStackText(stack: string, bundleDir: string): string {
  return stack.replace(/(\/[^\s():]+\.js):(\d+):(\d+)/g, (whole, file: string, line: string, column: string) => {
    if (!file.startsWith(bundleDir + path.sep)) return whole;
    const entry = mapFor(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry) || !entry.originalSource) return whole;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(file), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

/** Installs the mapping for errors created from now on, on top of the host's own formatter. */
export function installSourceMappedStacks(bundleDir: string): void {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, frames) => {
    const text = previous ? previous(error, frames) : `${String(error)}\n${frames.map((frame) => `    at ${String(frame)}`).join('\n')}`;
    return typeof text === 'string' ? mapStackText(text, bundleDir) : text;
  };
}
