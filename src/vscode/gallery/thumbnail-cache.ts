/**
 * The gallery's thumbnail cache: small PNGs the page drew from full images once, kept in
 * `<globalStorageUri>/gallery-thumbnails/<key>.png` (key: src/core/gallery/thumbnail-key.ts, a hash of
 * the file's id, mtime and size). A later open lists them as the items' `thumb`, and the page draws
 * those instead of decoding every 1024×1024 file of its first screen again.
 *
 * - What is cached is known from one listing of the folder, at the first use; afterwards this class
 *   keeps the set itself (it is the only writer of the keys it adds).
 * - The bytes come from the page, so they are checked like any other input: the id must be in the
 *   index, the bytes a PNG (by magic bytes) of at most MAX_THUMBNAIL_SIDE square; anything else is
 *   refused and logged. Written to a temporary name and renamed: a reader never sees half a file.
 * - The folder is shared by every workspace (global storage), so pruning removes only thumbnails this
 *   workspace wrote (their keys are remembered in workspaceState) whose file has left its index or
 *   changed; another window's thumbnails are never touched. At most PRUNE_BATCH per refresh.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { GalleryEntry } from '../../core/gallery/entry';
import { keyOfThumbnailFile, thumbnailFileName, thumbnailKey } from '../../core/gallery/thumbnail-key';
import { sniffImage } from '../../core/images/sniff';
import { MAX_THUMBNAIL_SIDE } from '../../shared/gallery-protocol';
import type { StudioLog } from '../log';

export const THUMBNAIL_FOLDER = 'gallery-thumbnails';
const OWNED_KEY = 'imageStudio.galleryThumbnails';
/** Deletions per refresh: a workspace that lost thousands of images cleans up over a few refreshes. */
const PRUNE_BATCH = 200;

export class ThumbnailCache {
  /** Keys of the thumbnails on disk (any workspace's). */
  private present: Promise<Set<string>> | undefined;
  private pruning = false;

  constructor(
    /** `<globalStorageUri>/gallery-thumbnails`. */
    readonly directory: vscode.Uri,
    /** workspaceState: which keys this workspace wrote. */
    private readonly memento: vscode.Memento,
    private readonly log: Pick<StudioLog, 'info' | 'warn'>,
  ) {}

  /** Finds the cached thumbnail of an entry's current version (mtime + size), after the one listing. */
  async lookup(): Promise<(entry: GalleryEntry) => vscode.Uri | undefined> {
    const present = await this.keys();
    return (entry) => {
      const key = thumbnailKey(entry);
      return present.has(key) ? this.fileOf(key) : undefined;
    };
  }

  /**
   * Stores the page's thumbnail of `entry` (undefined: the id is not in the index). Returns why it was
   * refused, or undefined when stored; refusals are logged here.
   */
  async store(id: string, entry: GalleryEntry | undefined, bytes: Uint8Array): Promise<string | undefined> {
    const refuse = (reason: string): string => {
      this.log.warn(`Gallery: refused a thumbnail from the webview: ${reason}`);
      return reason;
    };
    if (!entry) return refuse(`${id.slice(0, 200)} is not in the gallery`);
    const info = sniffImage(bytes);
    if (info?.format !== 'png') return refuse(`the bytes for ${entry.name} are not a PNG`);
    if (info.width > MAX_THUMBNAIL_SIDE || info.height > MAX_THUMBNAIL_SIDE) {
      return refuse(`the thumbnail of ${entry.name} is ${info.width}×${info.height}, more than ${MAX_THUMBNAIL_SIDE}×${MAX_THUMBNAIL_SIDE}`);
    }
    const key = thumbnailKey(entry);
    const present = await this.keys();
    if (present.has(key)) return undefined;
    const target = this.fileOf(key);
    // A hidden temporary name beside the target: the rename publishes it whole or not at all.
    const temporary = vscode.Uri.joinPath(this.directory, `.${key}-${randomBytes(4).toString('hex')}.part`);
    try {
      await vscode.workspace.fs.writeFile(temporary, bytes);
      await vscode.workspace.fs.rename(temporary, target, { overwrite: true });
    } catch (error) {
      await vscode.workspace.fs.delete(temporary).then(undefined, () => undefined);
      this.log.warn(`Gallery: could not cache the thumbnail of ${entry.name}: ${String(error)}`);
      return 'not written';
    }
    present.add(key);
    await this.memento.update(OWNED_KEY, [...this.owned(), key]);
    return undefined;
  }

  /** Removes up to PRUNE_BATCH thumbnails this workspace wrote for files no longer in `entries` (or changed since). */
  async prune(entries: readonly GalleryEntry[]): Promise<number> {
    const owned = this.owned();
    if (this.pruning || owned.length === 0) return 0;
    this.pruning = true;
    try {
      const live = new Set(entries.map((entry) => thumbnailKey(entry)));
      const stale = owned.filter((key) => !live.has(key)).slice(0, PRUNE_BATCH);
      if (stale.length === 0) return 0;
      const present = await this.keys();
      for (const key of stale) {
        await vscode.workspace.fs.delete(this.fileOf(key)).then(undefined, () => undefined);
        present.delete(key);
      }
      const removed = new Set(stale);
      // Read again: a thumbnail may have been stored while these were deleted.
      await this.memento.update(OWNED_KEY, this.owned().filter((key) => !removed.has(key)));
      this.log.info(`Gallery: removed ${stale.length} cached thumbnail(s) of images that are gone or changed`);
      return stale.length;
    } finally {
      this.pruning = false;
    }
  }

  private fileOf(key: string): vscode.Uri {
    return vscode.Uri.joinPath(this.directory, thumbnailFileName(key));
  }

  private owned(): string[] {
    const value = this.memento.get<unknown>(OWNED_KEY);
    return Array.isArray(value) ? value.filter((key): key is string => typeof key === 'string' && keyOfThumbnailFile(`${key}.png`) === key) : [];
  }

  /** One listing of the folder, the first time it is needed (a missing folder is created: empty). */
  private keys(): Promise<Set<string>> {
    this.present ??= (async () => {
      try {
        await vscode.workspace.fs.createDirectory(this.directory);
        const children = await vscode.workspace.fs.readDirectory(this.directory);
        return new Set(children.map(([name]) => keyOfThumbnailFile(name)).filter((key): key is string => key !== undefined));
      } catch (error) {
        this.log.warn(`Gallery: cannot list the thumbnail cache: ${String(error)}`);
        return new Set<string>();
      }
    })();
    return this.present;
  }
}
