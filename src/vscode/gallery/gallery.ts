/**
 * The gallery as the studio owns it: the index (GalleryStore), the watchers that keep it live, the
 * webview view host and the item actions, plus the three commands of its toolbar. Built on first
 * use (the view being opened, or one of its commands), never at activation: a user who never opens
 * the gallery never pays for scanning the output folders.
 *
 * Live updates come from two sources: the engine (a task saved an image: refresh at once) and the
 * FileSystemWatcher (anything else that changes the output folders).
 */
import * as vscode from 'vscode';
import type { GenerationEngine } from '../../core/jobs/engine';
import type { GenerationRequest } from '../../core/providers/types';
import type { CredentialStore } from '../credentials';
import type { StudioLog } from '../log';
import { outputDirectoryIn, workspaceFolderFor } from '../output-folder';
import { readSettings, type StudioSettings } from '../settings';
import { type Confirm, GalleryActions, modalConfirm } from './gallery-actions';
import { galleryRoots, GalleryStore } from './gallery-store';
import { GALLERY_VIEW_ID, GalleryView } from './gallery-view';
import { GalleryWatcher } from './gallery-watcher';
import { THUMBNAIL_FOLDER, ThumbnailCache } from './thumbnail-cache';

/** How often, while the gallery is on screen, its folders' names are compared with the index. */
const NAMES_CHECK_MS = 5_000;

export interface GalleryDeps {
  readonly context: vscode.ExtensionContext;
  readonly engine: Pick<GenerationEngine, 'subscribe'>;
  readonly credentials: CredentialStore;
  readonly log: StudioLog;
  readonly settings: () => StudioSettings;
  readonly generate: (request: GenerationRequest, directory: vscode.Uri) => Promise<unknown>;
  readonly stylize: (image: vscode.Uri) => Promise<unknown>;
}

/** What the integration tests reach through the internal command (only in ExtensionMode.Test). */
export interface GalleryTestHandle {
  readonly view: GalleryView;
  readonly store: GalleryStore;
  readonly thumbnails: ThumbnailCache;
  /**
   * The answers the next confirmations get instead of the modal dialog, which the extension host
   * cannot click (the browser tests click the real one).
   */
  answerConfirmations(answers: boolean[]): void;
  /** How many of those answers have not been used yet. */
  confirmationsLeft(): number;
}

export class Gallery implements vscode.Disposable {
  readonly store: GalleryStore;
  readonly view: GalleryView;
  readonly thumbnails: ThumbnailCache;
  private readonly disposables: vscode.Disposable[] = [];
  private confirmAnswers: boolean[] | undefined;

  constructor(deps: GalleryDeps) {
    const { context, log } = deps;
    this.store = new GalleryStore(context.workspaceState, log);
    this.thumbnails = new ThumbnailCache(vscode.Uri.joinPath(context.globalStorageUri, THUMBNAIL_FOLDER), context.workspaceState, log);
    const actions = new GalleryActions({
      find: (id) => this.store.get(id),
      settings: deps.settings,
      generate: deps.generate,
      stylize: deps.stylize,
      confirm: () => this.confirm(),
      refresh: () => this.store.refresh(),
      log,
    });
    this.view = new GalleryView({
      extensionUri: context.extensionUri,
      store: this.store,
      thumbnails: this.thumbnails,
      actions,
      log,
      memento: context.workspaceState,
      imageRoots: () => galleryRoots().map((root) => root.directory),
      hasCredentials: async () => (await deps.credentials.get()) !== undefined,
      emptyAction: (action) => void vscode.commands.executeCommand(action === 'setCredentials' ? 'imageStudio.setCredentials' : 'imageStudio.generate'),
    });
    // Thumbnails of images that left the index (or changed) go once the index is known, not guessed.
    const prune = this.store.onDidChange(() => {
      if (this.store.scanned) void this.thumbnails.prune(this.store.list());
    });
    const watcher = new GalleryWatcher(galleryRoots, () => void this.store.refresh());
    // A file-system watcher may drop events (VS Code's docs warn of it, and the browser tests saw a
    // copy made by another program never reported): while the gallery is on screen, its folders'
    // names are compared with the index every few seconds, and a difference brings a refresh.
    const namesCheck = setInterval(() => {
      if (!this.view.visible || !this.store.scanned) return;
      void this.store.namesDiffer().then(
        async (differ) => {
          if (differ) await this.store.refresh();
        },
        (error: unknown) => log.warn(`Gallery: could not list the output folders: ${String(error)}`),
      );
    }, NAMES_CHECK_MS);
    const unsubscribe = deps.engine.subscribe(({ task }) => {
      if (task.state === 'saved') void this.store.refresh();
    });
    this.disposables.push(this.view, watcher, { dispose: () => clearInterval(namesCheck) }, prune, this.store, { dispose: unsubscribe }, deps.credentials.onDidChange(() => this.view.refreshEmptyState()));
  }

  /** VS Code resolved the view (the user opened it): the page is set up and the index read. */
  resolve(view: vscode.WebviewView): void {
    this.view.resolveWebviewView(view);
  }

  /** Shows the gallery: VS Code opens its container and resolves the view if needed. */
  async open(): Promise<void> {
    await vscode.commands.executeCommand(`${GALLERY_VIEW_ID}.focus`);
  }

  /** Re-checks the output folders (only new and changed files are read). Resolves to the number of images. */
  async refresh(): Promise<number> {
    await this.store.load();
    await this.store.refresh();
    return this.store.size;
  }

  /** The output folder of the active file's workspace folder (the first otherwise), created if missing, in the explorer. */
  async openOutputFolder(): Promise<vscode.Uri | undefined> {
    const folder = workspaceFolderFor(vscode.window.activeTextEditor?.document.uri);
    if (!folder) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder first: images are saved in its output folder.'));
      return undefined;
    }
    const directory = outputDirectoryIn(folder, readSettings(folder.uri, () => undefined).outputFolder);
    await vscode.workspace.fs.createDirectory(directory);
    await vscode.commands.executeCommand('revealInExplorer', directory);
    return directory;
  }

  testHandle(): GalleryTestHandle {
    return {
      view: this.view,
      store: this.store,
      thumbnails: this.thumbnails,
      answerConfirmations: (answers) => {
        this.confirmAnswers = [...answers];
      },
      confirmationsLeft: () => this.confirmAnswers?.length ?? 0,
    };
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
  }

  private confirm(): Confirm {
    const answers = this.confirmAnswers;
    if (!answers || answers.length === 0) return modalConfirm;
    return async () => answers.shift() ?? false;
  }
}
