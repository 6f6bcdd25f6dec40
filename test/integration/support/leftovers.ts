// What a task leaves on disk: every entry of the test workspace (hidden `.part` files and empty
// folders included), read with node:fs so nothing is filtered, and the extension's private scratch
// folder, where the core saver downloads before copying into the workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_ID } from './logs';
import { workspaceRoot } from './workspace';

/** Workspace-relative paths of every file and folder (folders end in `/`), sorted; `.vscode/` is left out. */
export function workspaceEntries(): string[] {
  const root = workspaceRoot().fsPath;
  const entries: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      const relative = path.relative(root, absolute).split(path.sep).join('/');
      if (relative === '.vscode') continue;
      if (entry.isDirectory()) {
        entries.push(`${relative}/`);
        walk(absolute);
      } else {
        entries.push(relative);
      }
    }
  };
  walk(root);
  return entries.sort();
}

/** What appeared in the workspace since `before` (a workspaceEntries() result). */
export function newWorkspaceEntries(before: readonly string[]): string[] {
  const known = new Set(before);
  return workspaceEntries().filter((entry) => !known.has(entry));
}

/**
 * The extension's scratch folder for downloads (globalStorage/<id>/downloads under the runner's
 * user-data folder), or undefined when the runner does not say where that is.
 */
function scratchFolder(): string | undefined {
  const logs = process.env.STUDIO_TEST_LOGS_DIR;
  if (!logs) return undefined;
  const globalStorage = path.join(path.dirname(logs), 'User', 'globalStorage');
  if (!fs.existsSync(globalStorage)) return undefined;
  const own = fs.readdirSync(globalStorage).find((name) => name.toLowerCase() === EXTENSION_ID.toLowerCase());
  return own === undefined ? undefined : path.join(globalStorage, own, 'downloads');
}

/** Whatever a save left in the scratch folder (each save works in its own `save-*` folder and removes it). */
export function scratchLeftovers(): string[] {
  const folder = scratchFolder();
  return folder !== undefined && fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
}
