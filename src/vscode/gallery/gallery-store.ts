/**
 * The gallery's index on the host: every image in the output folders of all workspace folders,
 * kept in memory and cached in workspaceState between sessions.
 *
 * - load(): the cached index is available at once (the grid shows it while it is checked), then a
 *   refresh validates it against the disk. Without a cache (a first open), the newest files are read
 *   first and listed before the rest (listed() resolves then).
 * - refresh(): lists the output folders (vscode.workspace.fs), stats the images and re-reads only
 *   the new and changed ones (mtime + size differ from the cache; src/core/gallery/cache.ts). Calls
 *   during a refresh are coalesced into one more pass after it, so a burst of watcher events costs
 *   at most two scans.
 * - Reading a file's details reads its head only (src/core/gallery/read-entry.ts) when the file is
 *   on this machine; files of other file systems are read through vscode.workspace.fs.
 * - Local folders are listed and stat'ed with node:fs, not vscode.workspace.fs: every workspace.fs
 *   call is a round trip to the file service over the channel that also carries our webview
 *   messages, and 2,000 stats queued there held the gallery's first list back by about a second.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fromCache, planScan, toCache } from '../../core/gallery/cache';
import { isGalleryImageName, type FileFacts, type GalleryEntry } from '../../core/gallery/entry';
import { readGalleryEntry } from '../../core/gallery/read-entry';
import { outputDirectoryIn } from '../output-folder';
import { readSettings } from '../settings';
import type { StudioLog } from '../log';

const CACHE_KEY = 'imageStudio.galleryIndex';
/** Files stat'ed or read at once: enough to hide the latency of each, few enough not to exhaust file handles. */
const IO_CONCURRENCY = 24;
/** How deep below the output folder images are looked for (people sort images into sub-folders). */
const MAX_DEPTH = 6;
/** A folder holding more than this is not listed further (a mis-set output folder pointing at a huge tree). */
const MAX_FILES = 50_000;
/**
 * More files to read than this (a first open, a folder filled from elsewhere): the newest this many
 * are read first and listed at once, so the first screen does not wait for the heads of thousands.
 */
export const EARLY_READS = 200;
/** Files of another file system are read whole; bigger ones are listed without their metadata. */
const MAX_REMOTE_READ_BYTES = 64 * 1024 * 1024;

/** One output folder: the workspace folder it belongs to and the folder itself. */
export interface GalleryRoot {
  readonly folder: vscode.WorkspaceFolder;
  readonly directory: vscode.Uri;
}

/** The output folder of every workspace folder (each folder's own `imageStudio.outputFolder`). */
export function galleryRoots(): GalleryRoot[] {
  const roots: GalleryRoot[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      roots.push({ folder, directory: outputDirectoryIn(folder, readSettings(folder.uri, () => undefined).outputFolder) });
    } catch {
      // An output folder outside the workspace is refused when saving; there is nothing of ours in it.
    }
  }
  return roots;
}

/** Runs `work` on every item, at most `limit` at once; results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function isNotFound(error: unknown): boolean {
  return (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') || (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/** The entries of a folder, as vscode.workspace.fs.readDirectory gives them. */
async function readDirectory(directory: vscode.Uri): Promise<[string, vscode.FileType][]> {
  if (directory.scheme !== 'file') return vscode.workspace.fs.readDirectory(directory);
  const children = await fs.readdir(directory.fsPath, { withFileTypes: true });
  return children.map((child) => [
    child.name,
    child.isDirectory() ? vscode.FileType.Directory : child.isFile() ? vscode.FileType.File : vscode.FileType.Unknown,
  ]);
}

async function statFile(uri: vscode.Uri): Promise<{ mtime: number; size: number }> {
  if (uri.scheme !== 'file') return vscode.workspace.fs.stat(uri);
  const stat = await fs.stat(uri.fsPath);
  // As vscode.workspace.fs reports it (stat.mtime.getTime()), so cached entries compare equal either way.
  return { mtime: stat.mtime.getTime(), size: stat.size };
}

/** A promise that resolves the first time open() is called. */
function gateOpenedOnce(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

interface ListedFile {
  readonly uri: vscode.Uri;
  readonly root: GalleryRoot;
}

export class GalleryStore implements vscode.Disposable {
  private entries = new Map<string, GalleryEntry>();
  private loading: Promise<void> | undefined;
  private scannedOnce = false;
  private running: Promise<void> | undefined;
  private rerun = false;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly firstList = gateOpenedOnce();
  /** Fires whenever the set of entries (or one of them) changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: Pick<StudioLog, 'info' | 'warn'>,
    private readonly roots: () => GalleryRoot[] = galleryRoots,
  ) {}

  /**
   * The cached index, at once, then the first refresh against the disk; resolves when that is done.
   * Later calls return the same promise (the watcher keeps the index current after it).
   */
  load(): Promise<void> {
    if (!this.loading) {
      this.entries = fromCache(this.memento.get(CACHE_KEY));
      if (this.entries.size > 0) this.publish();
      this.loading = this.refresh();
      const scanned = () => this.firstList.open();
      this.loading.then(scanned, scanned);
    }
    return this.loading;
  }

  /**
   * Resolves once there is a list to show: the cached index, the newest files of a long first read,
   * or the end of the first scan (which may have found nothing). Starts loading.
   */
  async listed(): Promise<void> {
    void this.load().catch(() => undefined);
    await this.firstList.opened;
  }

  /** Brings the index up to date with the disk; concurrent calls share one pass (plus one after it). */
  refresh(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.rerun = false;
          await this.scan();
        } while (this.rerun);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /**
   * Whether the output folders hold other image files than the index: one listing, no stat and no
   * read, so it is cheap enough to run every few seconds. (Added, deleted and renamed files change
   * the names; a file changed in place is left to the watcher.)
   */
  async namesDiffer(): Promise<boolean> {
    const listed = (await Promise.all(this.roots().map((root) => this.listImages(root)))).flat();
    return listed.length !== this.entries.size || listed.some((file) => !this.entries.has(file.uri.toString()));
  }

  list(): GalleryEntry[] {
    return [...this.entries.values()];
  }

  get(id: string): GalleryEntry | undefined {
    return this.entries.get(id);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The disk has been scanned at least once (before that, an empty index means "not known yet"). */
  get scanned(): boolean {
    return this.scannedOnce;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private publish(): void {
    this.firstList.open();
    this.changed.fire();
  }

  private async scan(): Promise<void> {
    const started = Date.now();
    const roots = this.roots();
    const listed = (await Promise.all(roots.map((root) => this.listImages(root)))).flat();
    const stats = await mapLimited(listed, IO_CONCURRENCY, (file) => this.statOf(file));
    const facts = stats.filter((fact): fact is FileFacts & { file: ListedFile } => fact !== undefined);
    const byId = new Map(facts.map((fact) => [fact.id, fact.file]));
    const plan = planScan(this.entries, facts);
    const sizeBefore = this.entries.size;
    const readAll = async (list: readonly FileFacts[]) =>
      (await mapLimited(list, IO_CONCURRENCY, (fact) => this.readEntry(fact, byId.get(fact.id)!))).filter((entry): entry is GalleryEntry => entry !== undefined);
    const newestFirst = [...plan.read].sort((a, b) => b.mtime - a.mtime);
    const earlyCount = newestFirst.length > EARLY_READS ? EARLY_READS : 0;
    const early = await readAll(newestFirst.slice(0, earlyCount));
    if (early.length > 0) {
      // Listed, not cached: the cache is written once the whole folder is read.
      this.entries = new Map([...plan.reuse, ...early].map((entry) => [entry.id, entry]));
      this.publish();
    }
    const fresh = [...early, ...(await readAll(newestFirst.slice(earlyCount)))];
    const changed = fresh.length > 0 || plan.gone.length > 0 || plan.reuse.length !== sizeBefore;
    if (changed) {
      this.entries = new Map([...plan.reuse, ...fresh].map((entry) => [entry.id, entry]));
      await this.memento.update(CACHE_KEY, toCache(this.entries.values()));
      this.publish();
    }
    if (!this.scannedOnce) {
      this.scannedOnce = true;
      // The empty state may be shown now that "no images" is known, not guessed.
      if (!changed) this.publish();
    }
    if (plan.read.length > 0 || plan.gone.length > 0) {
      this.log.info(
        `Gallery: ${this.entries.size} image(s) in ${roots.length} output folder(s); read ${fresh.length}, reused ${plan.reuse.length} from the cache, ${plan.gone.length} gone (${Date.now() - started} ms)`,
      );
    }
  }

  /** Image files below the root's output folder (none when it does not exist yet). */
  private async listImages(root: GalleryRoot): Promise<ListedFile[]> {
    const found: ListedFile[] = [];
    const walk = async (directory: vscode.Uri, depth: number): Promise<void> => {
      let children: [string, vscode.FileType][];
      try {
        children = await readDirectory(directory);
      } catch (error) {
        if (!isNotFound(error)) this.log.warn(`Gallery: cannot list ${directory.toString(true)}: ${String(error)}`);
        return;
      }
      const folders: vscode.Uri[] = [];
      for (const [name, type] of children) {
        if (found.length >= MAX_FILES) return;
        if (type & vscode.FileType.Directory) {
          if (!name.startsWith('.') && depth < MAX_DEPTH) folders.push(vscode.Uri.joinPath(directory, name));
        } else if (type & vscode.FileType.File && isGalleryImageName(name)) {
          found.push({ uri: vscode.Uri.joinPath(directory, name), root });
        }
      }
      for (const folder of folders) await walk(folder, depth + 1);
    };
    // Stat first: readDirectory on a missing folder makes the extension host print a stack trace.
    try {
      await statFile(root.directory);
    } catch {
      return [];
    }
    await walk(root.directory, 0);
    return found;
  }

  private async statOf(file: ListedFile): Promise<(FileFacts & { file: ListedFile }) | undefined> {
    try {
      const stat = await statFile(file.uri);
      return { id: file.uri.toString(), mtime: stat.mtime, size: stat.size, file };
    } catch (error) {
      if (!isNotFound(error)) this.log.warn(`Gallery: cannot stat ${file.uri.toString(true)}: ${String(error)}`);
      return undefined;
    }
  }

  private async readEntry(facts: FileFacts, file: ListedFile): Promise<GalleryEntry | undefined> {
    const { uri, root } = file;
    const place = {
      name: path.posix.basename(uri.path),
      relPath: path.posix.relative(root.folder.uri.path, uri.path),
      folderName: root.folder.name,
    };
    try {
      if (uri.scheme === 'file') return await readGalleryEntry(uri.fsPath, facts, place);
      const bytes = facts.size <= MAX_REMOTE_READ_BYTES ? await vscode.workspace.fs.readFile(uri) : new Uint8Array(0);
      return await readGalleryEntry(bytes, facts, place);
    } catch (error) {
      // Deleted between the listing and the read: the next refresh has it gone.
      if (!isNotFound(error)) this.log.warn(`Gallery: cannot read ${uri.toString(true)}: ${String(error)}`);
      return undefined;
    }
  }
}
