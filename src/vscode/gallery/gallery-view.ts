/**
 * The host side of the gallery (webview view `imageStudio.gallery` in the activity-bar container
 * `imageStudio`). The same rules as the task panel:
 *
 * - Nothing is posted before the page says `ready`; the answer is `init` (every word it shows,
 *   localised here; the remembered query; the models; the empty state) and then `items`.
 * - The host owns search, filter and sort (src/core/gallery/query.ts): the page sends `query`, the
 *   host remembers it in workspaceState (it survives reloads) and answers with the list.
 * - Every message from the page is checked against src/shared/gallery-protocol.ts; an invalid one is
 *   dropped and logged. Actions name an image by id, which must be in the index.
 * - retainContextWhenHidden is off (a hidden side bar should cost no memory): a hidden view loses its
 *   page, which says `ready` again when shown.
 * - localResourceRoots are media/, the output folders and the thumbnail cache's folder: the page may
 *   load the images and their cached thumbnails and nothing else of the disk.
 * - The page sends `thumbnail` for each image it had to decode in full; the cache (thumbnail-cache.ts)
 *   checks and keeps it, and later lists carry it as the item's `thumb`. When they change (a folder added, the setting changed) the page reloads.
 */
import { pageLanguage, resourceRoots, sameRoots, webviewHtml } from '../webview-html';
import * as vscode from 'vscode';
import type { GalleryEntry } from '../../core/gallery/entry';
import { applyQuery, DEFAULT_QUERY, modelsIn } from '../../core/gallery/query';
import {
  type GalleryEmpty,
  type GalleryHostMessage,
  GalleryHostMessageSchema,
  type GalleryMetrics,
  type GalleryQuery,
  GalleryQuerySchema,
  type GalleryShown,
  GalleryWebviewMessageSchema,
  GALLERY_HEAD_ITEMS,
  MAX_GALLERY_ITEMS,
  type RenderedGalleryItem,
} from '../../shared/gallery-protocol';
import { describeIssues } from '../../shared/protocol';
import type { StudioLog } from '../log';
import { PendingReplies } from '../pending-replies';
import { ReadyGate } from '../ready-gate';
import type { GalleryActions } from './gallery-actions';
import type { GalleryStore } from './gallery-store';
import type { ThumbnailCache } from './thumbnail-cache';
import { galleryStrings, modelOptions, toGalleryItem } from './gallery-text';

export const GALLERY_VIEW_ID = 'imageStudio.gallery';
const QUERY_KEY = 'imageStudio.galleryQuery';
/** Coalescing window for index changes: a burst of saved images is one `items` message. */
const UPDATE_DELAY_MS = 50;

/** What the page reports it shows (tests assert on it). */
export interface GalleryRendered {
  readonly shown: GalleryShown;
  readonly detailId?: string;
  readonly items: RenderedGalleryItem[];
  /** How many items the page's list holds. */
  readonly listed: number;
}

export interface GalleryViewOptions {
  readonly extensionUri: vscode.Uri;
  readonly store: GalleryStore;
  readonly thumbnails: ThumbnailCache;
  readonly actions: GalleryActions;
  readonly log: Pick<StudioLog, 'info' | 'warn' | 'error'>;
  /** workspaceState: the query is remembered per workspace. */
  readonly memento: vscode.Memento;
  /** The output folders (the page may load images from them). */
  readonly imageRoots: () => vscode.Uri[];
  /** Whether credentials are available (stored or from the environment): decides the empty state's offer. */
  readonly hasCredentials: () => Promise<boolean>;
  /** The empty state's buttons. */
  readonly emptyAction: (action: 'setCredentials' | 'generate') => void;
}

export class GalleryView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private viewDisposables: vscode.Disposable[] = [];
  private ready = false;
  private readonly readyGate = new ReadyGate();
  private roots: vscode.Uri[] = [];
  private generation = 0;
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pendingRendered = new PendingReplies<GalleryRendered>('the gallery');
  private readonly pendingEchoes = new PendingReplies<void>('the gallery');
  private readonly subscription: vscode.Disposable;
  private dropped = 0;
  /** The page's last `metrics` report (the benchmark reads it). */
  lastMetrics: GalleryMetrics | undefined;

  constructor(private readonly options: GalleryViewOptions) {
    this.subscription = options.store.onDidChange(() => this.scheduleUpdate());
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.forgetView();
    this.view = view;
    this.roots = this.currentRoots();
    view.webview.options = { enableScripts: true, localResourceRoots: this.roots };
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      view.onDidChangeVisibility(() => {
        // A hidden page is discarded (no retained context); it says `ready` again when shown.
        if (!view.visible) this.notReady();
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.forgetView();
      }),
    );
    view.webview.html = this.html(view.webview);
    void this.options.store.load().catch((error: unknown) => this.options.log.error(`Gallery: could not read the output folders: ${String(error)}`));
  }

  /** Resolves once the page has said `ready` and has been sent `init` and the list. */
  whenReady(): Promise<void> {
    return this.readyGate.promise;
  }

  /** What the page shows, read back from its DOM. */
  async rendered(): Promise<GalleryRendered> {
    await this.whenReady();
    return this.pendingRendered.ask('reportRendered', (requestId) => this.post({ type: 'reportRendered', requestId }));
  }

  /**
   * For tests of the host's validation: the page posts `payload` back verbatim (then `echoed`), so a
   * malformed message really travels the webview -> host path. Resolves once the host handled both.
   */
  async echoThroughWebview(payload: unknown): Promise<void> {
    await this.whenReady();
    await this.pendingEchoes.ask('echo', (requestId) => this.post({ type: 'echo', requestId, payload }));
  }

  /** The items in the page's DOM now, in screen order. */
  async renderedItems(): Promise<RenderedGalleryItem[]> {
    return (await this.rendered()).items;
  }

  /** The remembered search, filter and sort. */
  get query(): GalleryQuery {
    const parsed = GalleryQuerySchema.safeParse(this.options.memento.get(QUERY_KEY));
    return parsed.success ? parsed.data : DEFAULT_QUERY;
  }

  /** The view is open and on screen (a hidden view has no page). */
  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  /** How many messages from the page were dropped as invalid. */
  get droppedMessages(): number {
    return this.dropped;
  }

  /** The credentials changed: the empty state's offer may have too. */
  refreshEmptyState(): void {
    this.scheduleUpdate();
  }

  dispose(): void {
    this.subscription.dispose();
    clearTimeout(this.updateTimer);
    this.forgetView();
  }

  private forgetView(): void {
    for (const disposable of this.viewDisposables.splice(0)) disposable.dispose();
    this.view = undefined;
    this.notReady();
  }

  private notReady(): void {
    this.ready = false;
    this.readyGate.reset();
    this.pendingRendered.rejectAll();
    this.pendingEchoes.rejectAll();
  }

  private currentRoots(): vscode.Uri[] {
    return resourceRoots(this.options.extensionUri, [this.options.thumbnails.directory, ...this.options.imageRoots()]);
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, { extensionUri: this.options.extensionUri, language: pageLanguage(), title: vscode.l10n.t('Gallery'), stylesheet: 'gallery.css', script: 'gallery.js' });
  }

  private receive(raw: unknown): void {
    const parsed = GalleryWebviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.dropped++;
      this.options.log.warn(`Gallery: dropped an invalid message from the webview (${describeIssues(parsed.error)})`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        void this.onReady();
        return;
      case 'query':
        void this.onQuery({ text: message.text, model: message.model, sort: message.sort });
        return;
      case 'action':
        void this.options.actions.run(message.action, message.id).catch((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          this.options.log.error(`Gallery: "${message.action}" failed: ${reason}`);
          void vscode.window.showErrorMessage(vscode.l10n.t('The gallery action failed: {0}', reason));
        });
        return;
      case 'emptyAction':
        this.options.emptyAction(message.action);
        return;
      case 'rendered':
        this.pendingRendered.settle(message.requestId, { shown: message.shown, detailId: message.detailId, items: message.items, listed: message.listed });
        return;
      case 'echoed':
        this.pendingEchoes.settle(message.requestId, undefined);
        return;
      case 'metrics': {
        const { type: _type, ...metrics } = message;
        this.lastMetrics = metrics;
        this.options.log.info(
          `Gallery: first screen of ${metrics.firstScreenCells} thumbnail(s) shown ${Math.round(metrics.firstScreenMs)} ms after the page started (${metrics.itemCount} images listed, ${metrics.domCells} cells in the page, ${metrics.thumbnailsLoaded} thumbnails loaded)`,
        );
        return;
      }
      case 'thumbnail':
        void this.options.thumbnails.store(message.id, this.options.store.get(message.id), message.bytes);
        return;
      case 'cspViolation':
        this.options.log.warn(`Gallery: the webview's Content Security Policy blocked ${message.blockedUri || 'a resource'} (${message.directive})`);
        return;
      case 'droppedHostMessage':
        this.options.log.error(`Gallery: the webview dropped an invalid message from the host (${message.issues})`);
        return;
    }
  }

  private async onReady(): Promise<void> {
    const saidReady = Date.now();
    this.ready = true;
    clearTimeout(this.updateTimer);
    this.updateTimer = undefined;
    const { store } = this.options;
    const models = modelOptions(modelsIn(store.list()));
    const empty = await this.emptyState();
    const init = await this.post({ type: 'init', language: pageLanguage(), strings: galleryStrings(), query: this.query, models, empty });
    // An empty index may just not be read yet: the list follows once there is one (the first scan's
    // newest files, or its end), so the page shows "Loading" rather than a false "No images yet".
    if (store.size === 0) await store.listed();
    const items = init && this.ready && (await this.postItems({ headFirst: true }));
    if (items && this.ready) this.readyGate.open();
    this.options.log.info(`Gallery: ${store.size} image(s) sent ${Date.now() - saidReady} ms after the page said ready`);
  }

  private async onQuery(query: GalleryQuery): Promise<void> {
    await this.options.memento.update(QUERY_KEY, query);
    await this.postItems();
  }

  private scheduleUpdate(): void {
    if (!this.view || this.updateTimer) return;
    this.updateTimer = setTimeout(() => {
      this.updateTimer = undefined;
      this.update();
    }, UPDATE_DELAY_MS);
  }

  private update(): void {
    if (!this.view || !this.ready) return; // `ready` will bring everything
    const roots = this.currentRoots();
    if (!sameRoots(roots, this.roots)) {
      // New output folders: setting the options reloads the page, which says `ready` again.
      this.roots = roots;
      this.notReady();
      this.view.webview.options = { enableScripts: true, localResourceRoots: roots };
      return;
    }
    void this.postItems();
  }

  private async emptyState(): Promise<GalleryEmpty> {
    if (this.options.store.size > 0 || !this.options.store.scanned) return null;
    return (await this.options.hasCredentials()) ? 'generate' : 'setCredentials';
  }

  /**
   * The filtered, sorted list as the page renders it. With `headFirst` (the answer to `ready`) a long
   * list goes in two messages: its first GALLERY_HEAD_ITEMS at once, so the first screen is drawn
   * while the rest is built and carried.
   */
  private async postItems({ headFirst = false }: { headFirst?: boolean } = {}): Promise<boolean> {
    const webview = this.view?.webview;
    if (!webview) return false;
    // Numbered when it is taken from the index: two lists in the making (a query, a change on disk)
    // each wait on the thumbnail cache and the credentials, and the older must not be posted last.
    const generation = ++this.generation;
    const superseded = () => generation !== this.generation;
    const entries = this.options.store.list();
    const matched = applyQuery(entries, this.query);
    const thumbOf = await this.options.thumbnails.lookup();
    const empty = await this.emptyState();
    if (superseded()) return true; // the newer list is on its way
    const toItems = (from: readonly GalleryEntry[]) =>
      from.map((entry) => {
        const thumb = thumbOf(entry);
        return toGalleryItem(entry, webview.asWebviewUri(vscode.Uri.parse(entry.id, true)).toString(), thumb && webview.asWebviewUri(thumb).toString());
      });
    const message = { type: 'items', generation, total: entries.length, matched: matched.length, models: modelOptions(modelsIn(entries)), empty } as const;
    if (headFirst && matched.length > GALLERY_HEAD_ITEMS) {
      const head = await this.post({ ...message, items: toItems(matched.slice(0, GALLERY_HEAD_ITEMS)), more: true });
      if (!head) return false;
      if (superseded()) return true;
    }
    return this.post({ ...message, items: toItems(matched.slice(0, MAX_GALLERY_ITEMS)) });
  }

  /** Validates and posts; false when the page is gone or the message is broken (logged). */
  private async post(message: GalleryHostMessage): Promise<boolean> {
    const parsed = GalleryHostMessageSchema.safeParse(message);
    if (!parsed.success) {
      this.options.log.error(`Gallery: not posting an invalid ${message.type} message (${describeIssues(parsed.error)})`);
      return false;
    }
    if (!this.view) return false;
    try {
      return await this.view.webview.postMessage(parsed.data);
    } catch (error) {
      this.options.log.warn(`Gallery: could not post ${message.type}: ${String(error)}`);
      return false;
    }
  }
}
