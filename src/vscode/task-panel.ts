/**
 * The host side of the task panel (webview panel type `imageStudio.tasks`).
 *
 * - Nothing is posted before the webview says `ready`; the answer is `init` with every word it shows
 *   (localised here) and the whole task list. After that, engine events are coalesced: a burst of
 *   events within UPDATE_DELAY_MS becomes one `tasks` message.
 * - Every message from the webview is checked against src/shared/protocol.ts; an invalid one is
 *   dropped and logged. An action must name a task the host knows and, for a file, one of that
 *   task's own files: the webview never makes the host touch a path of its choosing.
 * - retainContextWhenHidden is off (it costs memory while hidden): a hidden panel loses its page,
 *   and when shown again the page repaints from its saved state and then says `ready` again.
 * - After a window reload, VS Code hands the page's saved state to the serializer (restore()). The
 *   new engine knows only the jobs it resumes from the journal, so the finished tasks of the previous
 *   session are rebuilt from that state (marked `restored`: files still open, reveal, link and copy;
 *   no cancel or regenerate, which need the engine's task). Their files are kept only when they lie
 *   inside the panel's resource roots: the state came from the page.
 */
import { pageLanguage, resourceRoots, sameRoots, webviewHtml } from './webview-html';
import * as vscode from 'vscode';
import type { GenerationEngine } from '../core/jobs/engine';
import { isTerminal, type TaskState } from '../core/jobs/task';
import {
  describeIssues,
  type HostMessage,
  HostMessageSchema,
  PanelStateSchema,
  type PanelStrings,
  type RenderedRow,
  type TaskActionName,
  type TaskView,
  WebviewMessageSchema,
} from '../shared/protocol';
import type { StudioLog } from './log';
import { languageOf, mergeTaskViews, restoredTaskView, type TaskViewText, toTaskView } from './task-view';
import { locationToUri } from './workspace-saver';
import { PendingReplies } from './pending-replies';
import { ReadyGate } from './ready-gate';

export const TASK_PANEL_VIEW_TYPE = 'imageStudio.tasks';

/** Coalescing window for engine events: long enough to merge a burst, short enough to feel live. */
const UPDATE_DELAY_MS = 50;
/** How long a test waits for the page to answer a request. */

export interface TaskActions {
  open(taskId: string, file?: string): Promise<void>;
  revealInExplorer(taskId: string, file?: string): Promise<void>;
  insertMarkdownLink(taskId: string, file?: string): Promise<void>;
  copyPath(taskId: string, file?: string): Promise<void>;
  regenerate(taskId: string): Promise<void>;
  useAsReference(taskId: string, file?: string): Promise<void>;
  cancel(taskId: string): Promise<void>;
}

/** What the panel needs of the log (a StudioLog). */
export type PanelLog = Pick<StudioLog, 'info' | 'warn' | 'error'>;

export interface TaskPanelOptions {
  readonly extensionUri: vscode.Uri;
  readonly engine: Pick<GenerationEngine, 'list' | 'get' | 'subscribe'>;
  readonly actions: TaskActions;
  readonly log: PanelLog;
  /** media/ and the output folders (media/ is added when missing). Read again on every update. */
  readonly localResourceRoots: () => vscode.Uri[];
}

function panelStrings(): PanelStrings {
  return {
    title: vscode.l10n.t('AIGC Image Studio: Tasks'),
    listLabel: vscode.l10n.t('Image generation tasks, newest first'),
    empty: vscode.l10n.t('No image tasks yet'),
    emptyHint: vscode.l10n.t('Select text in an editor and run "Generate Image from Selection", or run "Generate Image…" from the Command Palette.'),
    model: vscode.l10n.t('Model'),
    size: vscode.l10n.t('Size'),
    style: vscode.l10n.t('Style'),
    elapsed: vscode.l10n.t('Elapsed time'),
    negativePrompt: vscode.l10n.t('Negative prompt'),
    requestId: vscode.l10n.t('RequestId'),
    jobId: vscode.l10n.t('JobId'),
    errorCode: vscode.l10n.t('Error code'),
    open: vscode.l10n.t('Open'),
    revealInExplorer: vscode.l10n.t('Reveal in Explorer'),
    insertMarkdownLink: vscode.l10n.t('Insert Markdown Link'),
    copyPath: vscode.l10n.t('Copy Path'),
    regenerate: vscode.l10n.t('Regenerate'),
    useAsReference: vscode.l10n.t('Use as Reference (Image to Image)'),
    cancel: vscode.l10n.t('Cancel'),
    imageAlt: vscode.l10n.t('Generated image'),
    progress: vscode.l10n.t('Progress'),
    restored: vscode.l10n.t('From an earlier window session'),
  };
}

function taskViewText(): TaskViewText {
  const states: Record<TaskState, string> = {
    queued: vscode.l10n.t('Queued'),
    submitting: vscode.l10n.t('Submitting'),
    running: vscode.l10n.t('Running'),
    downloading: vscode.l10n.t('Downloading'),
    saved: vscode.l10n.t('Saved'),
    failed: vscode.l10n.t('Failed'),
    cancelled: vscode.l10n.t('Cancelled'),
  };
  return {
    states,
    savingImage: (saved, total) => vscode.l10n.t('Saving image {0} of {1}', Math.min(saved + 1, total), total),
    cloudQueued: vscode.l10n.t("Waiting in the cloud's queue"),
    interrupted: vscode.l10n.t('The window was reloaded while this task was in progress. A submitted job is picked up again by itself; otherwise, start it again.'),
  };
}

/** True when `uri` is `root` or inside it (same scheme and authority, path below). */
function isInside(uri: vscode.Uri, root: vscode.Uri): boolean {
  if (uri.scheme !== root.scheme || uri.authority !== root.authority) return false;
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return uri.path === root.path || uri.path.startsWith(base);
}

export class TaskPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  /** The page said `ready` and may be posted to. */
  private ready = false;
  private readonly readyGate = new ReadyGate();
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  /** Tasks of the previous window session, from the page's saved state (see the file comment). */
  private restored: TaskView[] = [];
  private roots: vscode.Uri[] = [];
  private readonly pendingRows = new PendingReplies<RenderedRow[]>('the task panel');
  private readonly pendingEchoes = new PendingReplies<void>('the task panel');
  private readonly unsubscribe: () => void;
  /** Messages from the page that failed validation (tests assert on it; the log has each). */
  private dropped = 0;

  constructor(private readonly options: TaskPanelOptions) {
    this.unsubscribe = options.engine.subscribe(() => this.scheduleUpdate());
  }

  /** Opens or reveals the panel (a task started, or showTasks). */
  reveal(preserveFocus = false): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    this.roots = this.currentRoots();
    const panel = vscode.window.createWebviewPanel(
      TASK_PANEL_VIEW_TYPE,
      panelStrings().title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: this.roots },
    );
    this.adopt(panel);
  }

  /** The serializer's deserializeWebviewPanel: adopt a panel VS Code restored after a reload. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (this.panel) {
      // Only one task panel: a second restored one would show the same list twice.
      panel.dispose();
      return;
    }
    this.roots = this.currentRoots();
    panel.webview.options = { enableScripts: true, localResourceRoots: this.roots };
    this.restored = this.readSavedState(state);
    this.adopt(panel);
  }

  /** Resolves once the page has said `ready` and has been sent the current task list. */
  whenReady(): Promise<void> {
    return this.readyGate.promise;
  }

  /** What the page shows, read back from its DOM: one row per task, in screen order. */
  async renderedRows(): Promise<RenderedRow[]> {
    await this.whenReady();
    return this.pendingRows.ask('reportRows', (requestId) => this.post({ type: 'reportRows', requestId }));
  }

  /**
   * For tests of the host's validation: the page posts `payload` back to the host verbatim (then
   * `echoed`), so a malformed message really travels the webview -> host path. Resolves once the
   * host has handled both.
   */
  async echoThroughWebview(payload: unknown): Promise<void> {
    await this.whenReady();
    return this.pendingEchoes.ask('echo', (requestId) => this.post({ type: 'echo', requestId, payload }));
  }

  /** How many messages from the page were dropped as invalid. */
  get droppedMessages(): number {
    return this.dropped;
  }

  dispose(): void {
    this.unsubscribe();
    clearTimeout(this.updateTimer);
    this.panel?.dispose();
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.title = panelStrings().title;
    panel.iconPath = vscode.Uri.joinPath(this.options.extensionUri, 'media', 'icon.png');
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        // A hidden page is discarded (no retained context); it says `ready` again when shown.
        if (!panel.visible) this.notReady();
      }),
      panel.onDidDispose(() => this.forgetPanel(panel)),
    );
    panel.webview.html = this.html(panel.webview);
  }

  private forgetPanel(panel: vscode.WebviewPanel): void {
    if (this.panel !== panel) return;
    this.panel = undefined;
    for (const disposable of this.panelDisposables) disposable.dispose();
    this.panelDisposables = [];
    this.notReady();
  }

  private notReady(): void {
    if (!this.ready) return;
    this.ready = false;
    this.readyGate.reset();
    this.pendingRows.rejectAll();
    this.pendingEchoes.rejectAll();
  }

  private currentRoots(): vscode.Uri[] {
    return resourceRoots(this.options.extensionUri, this.options.localResourceRoots());
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, { extensionUri: this.options.extensionUri, language: pageLanguage(), title: panelStrings().title, stylesheet: 'tasks.css', script: 'tasks.js' });
  }

  private receive(raw: unknown): void {
    const parsed = WebviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.dropped++;
      this.options.log.warn(`Task panel: dropped an invalid message from the webview (${describeIssues(parsed.error)})`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        void this.onReady();
        return;
      case 'action':
        void this.runAction(message.action, message.taskId, message.file);
        return;
      case 'rows':
        this.pendingRows.settle(message.requestId, message.rows);
        return;
      case 'echoed':
        this.pendingEchoes.settle(message.requestId, undefined);
        return;
      case 'cspViolation':
        this.options.log.warn(`Task panel: the webview's Content Security Policy blocked ${message.blockedUri || 'a resource'} (${message.directive})`);
        return;
      case 'droppedHostMessage':
        this.options.log.error(`Task panel: the webview dropped an invalid message from the host (${message.issues})`);
        return;
    }
  }

  private async onReady(): Promise<void> {
    this.ready = true;
    clearTimeout(this.updateTimer);
    this.updateTimer = undefined;
    const delivered = await this.post({ type: 'init', language: pageLanguage(), strings: panelStrings(), tasks: this.views(), hostNow: Date.now() });
    if (delivered && this.ready) this.readyGate.open();
  }

  private scheduleUpdate(): void {
    if (!this.panel || this.updateTimer) return;
    this.updateTimer = setTimeout(() => {
      this.updateTimer = undefined;
      this.update();
    }, UPDATE_DELAY_MS);
  }

  private update(): void {
    if (!this.panel || !this.ready) return; // `init` will carry the list
    const roots = this.currentRoots();
    if (!sameRoots(roots, this.roots)) {
      // New output folders (a folder was added, the setting changed). Setting the options reloads
      // the page, which then says `ready` and gets the whole list with `init`.
      this.roots = roots;
      this.notReady();
      this.panel.webview.options = { enableScripts: true, localResourceRoots: roots };
      return;
    }
    void this.post({ type: 'tasks', tasks: this.views(), hostNow: Date.now() });
  }

  /** The engine's tasks plus the restored ones, newest first, as the page renders them. */
  private views(): TaskView[] {
    const webview = this.panel?.webview;
    const previewSrc = (file: string): string | undefined => {
      if (!webview) return undefined;
      let uri: vscode.Uri;
      try {
        uri = locationToUri(file);
      } catch {
        return undefined;
      }
      return this.roots.some((root) => isInside(uri, root)) ? webview.asWebviewUri(uri).toString() : undefined;
    };
    const text = taskViewText();
    const context = { language: languageOf(vscode.env.language), text, previewSrc };
    const live = this.options.engine.list().map((task) => toTaskView(task, context));
    const restored = this.restored.map((task) => restoredTaskView(task, context));
    return mergeTaskViews(live, restored);
  }

  private readSavedState(state: unknown): TaskView[] {
    if (state === undefined || state === null) return [];
    const parsed = PanelStateSchema.safeParse(state);
    if (!parsed.success) {
      this.options.log.warn(`Task panel: ignored the saved panel state of the previous session (${describeIssues(parsed.error)})`);
      return [];
    }
    return parsed.data.tasks;
  }

  private async runAction(action: TaskActionName, taskId: string, file: string | undefined): Promise<void> {
    const refusal = this.refusal(action, taskId, file);
    if (refusal) {
      this.options.log.warn(`Task panel: refused "${action}" for task ${taskId}: ${refusal}`);
      return;
    }
    const { actions } = this.options;
    try {
      switch (action) {
        case 'regenerate':
          return await actions.regenerate(taskId);
        case 'cancel':
          return await actions.cancel(taskId);
        default:
          return await actions[action](taskId, file);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.log.error(`Task panel: "${action}" for task ${taskId} failed: ${reason}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The task action failed: {0}', reason));
    }
  }

  /** Why an action from the page is not allowed, or undefined when it is. */
  private refusal(action: TaskActionName, taskId: string, file: string | undefined): string | undefined {
    const live = this.options.engine.get(taskId);
    const restored = live ? undefined : this.restored.find((task) => task.id === taskId);
    if (!live && !restored) return 'no such task';
    if (action === 'cancel' || action === 'regenerate') {
      if (!live) return 'the task belongs to an earlier window session';
      if (file !== undefined) return 'unexpected file';
      if (action === 'cancel' && isTerminal(live.state)) return 'the task has finished';
      return undefined;
    }
    if (file === undefined) return undefined;
    const files = live ? live.files.map((saved) => saved.path) : this.views().find((task) => task.id === taskId)?.images.map((image) => image.file);
    return files?.includes(file) ? undefined : 'the file is not one of the task';
  }

  /** Validates and posts; false when the page is gone or the message is broken (logged). */
  private async post(message: HostMessage): Promise<boolean> {
    const parsed = HostMessageSchema.safeParse(message);
    if (!parsed.success) {
      this.options.log.error(`Task panel: not posting an invalid ${message.type} message (${describeIssues(parsed.error)})`);
      return false;
    }
    if (!this.panel) return false;
    try {
      return await this.panel.webview.postMessage(parsed.data);
    } catch (error) {
      // Posting to a page being disposed throws; the next `ready` sends everything again.
      this.options.log.warn(`Task panel: could not post ${message.type}: ${String(error)}`);
      return false;
    }
  }
}
