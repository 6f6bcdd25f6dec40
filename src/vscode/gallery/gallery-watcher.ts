/**
 * Keeps the gallery live: a FileSystemWatcher on `<folder>/<outputFolder>` (the folder itself and
 * everything below it) for every workspace folder, so images added, renamed or deleted outside the
 * extension (a git pull, a file manager, a script) show up without a manual refresh. Events are
 * debounced: a batch of files copied in at once is one refresh, and a refresh reads only what
 * changed. The watchers are rebuilt when folders are added or removed or an output folder setting
 * changes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GalleryRoot } from './gallery-store';

/** Long enough to gather a burst of events (a copy of many files), short enough to feel immediate. */
export const WATCH_DEBOUNCE_MS = 200;

/** `assets/generated` and everything below it, as a glob relative to the workspace folder. */
function patternFor(root: GalleryRoot): vscode.RelativePattern {
  const relative = path.posix.relative(root.folder.uri.path, root.directory.path);
  // Braces also match the folder itself, so deleting or renaming the whole output folder is seen.
  return new vscode.RelativePattern(root.folder, relative === '' ? '**' : `{${relative},${relative}/**}`);
}

export class GalleryWatcher implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly roots: () => GalleryRoot[],
    /** Called once per burst of changes. */
    private readonly onChange: () => void,
  ) {
    this.watch();
    this.subscriptions = [
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rewatch()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('imageStudio.outputFolder')) this.rewatch();
      }),
    ];
  }

  /** Folders or settings changed: new watchers, and a refresh for what the new folders hold. */
  private rewatch(): void {
    this.unwatch();
    this.watch();
    this.schedule();
  }

  private watch(): void {
    for (const root of this.roots()) {
      const watcher = vscode.workspace.createFileSystemWatcher(patternFor(root));
      watcher.onDidCreate(() => this.schedule());
      watcher.onDidChange(() => this.schedule());
      watcher.onDidDelete(() => this.schedule());
      this.watchers.push(watcher);
    }
  }

  /** Debounced: the last event of a burst starts the timer again. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, WATCH_DEBOUNCE_MS);
  }

  private unwatch(): void {
    for (const watcher of this.watchers.splice(0)) watcher.dispose();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unwatch();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
