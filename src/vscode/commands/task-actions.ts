/**
 * What the task panel's buttons do (TaskActions, called by src/vscode/task-panel.ts). `file` is a
 * saved image's location as the task snapshot holds it; without it, the task's first image.
 */
import * as vscode from 'vscode';
import type { GenerationEngine } from '../../core/jobs/engine';
import { insertLinksAtCursor, MarkdownLinkAnchor } from '../markdown-link';
import type { TaskActions } from '../task-panel';
import { locationToUri } from '../workspace-saver';

export interface TaskActionHandlers {
  readonly engine: GenerationEngine;
  /** The same request again with a new seed. */
  readonly regenerate: (taskId: string) => Promise<unknown>;
  /** Style transfer on an image. */
  readonly stylize: (image: vscode.Uri) => Promise<unknown>;
}

export class StudioTaskActions implements TaskActions, vscode.Disposable {
  /** The Markdown editor the user was last in: when the panel has the focus, there is no active editor. */
  private lastMarkdownEditor: vscode.TextEditor | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly handlers: TaskActionHandlers) {
    this.remember(vscode.window.activeTextEditor);
    this.subscription = vscode.window.onDidChangeActiveTextEditor((editor) => this.remember(editor));
  }

  async open(taskId: string, file?: string): Promise<void> {
    const image = this.imageOf(taskId, file);
    if (image) await vscode.commands.executeCommand('vscode.open', image);
  }

  async revealInExplorer(taskId: string, file?: string): Promise<void> {
    const image = this.imageOf(taskId, file);
    if (image) await vscode.commands.executeCommand('revealInExplorer', image);
  }

  async insertMarkdownLink(taskId: string, file?: string): Promise<void> {
    const images = this.imagesOf(taskId, file);
    if (images.length === 0) return;
    const editor = this.markdownEditor();
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a Markdown file and place the cursor where the link should go, then try again.'));
      return;
    }
    // A restored task (earlier window session) has no request any more: its file name is the alt text.
    const prompt = this.handlers.engine.get(taskId)?.request.prompt || images[0]!.path.split('/').pop()!.replace(/\.[^.]+$/, '');
    await insertLinksAtCursor(editor, images, prompt);
  }

  async copyPath(taskId: string, file?: string): Promise<void> {
    const image = this.imageOf(taskId, file);
    if (!image) return;
    await vscode.env.clipboard.writeText(image.scheme === 'file' ? image.fsPath : image.toString(true));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the image path'), 3000);
  }

  async regenerate(taskId: string): Promise<void> {
    await this.handlers.regenerate(taskId);
  }

  async useAsReference(taskId: string, file?: string): Promise<void> {
    const image = this.imageOf(taskId, file);
    if (image) await this.handlers.stylize(image);
  }

  async cancel(taskId: string): Promise<void> {
    this.handlers.engine.cancel(taskId);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /**
   * The task's image `file` (default: all its images). The panel passes a `file` only after checking
   * it is one of that task's own images (a live task's, or a restored one's inside the panel's
   * resource roots), so the webview can never point us at any other file.
   */
  private imagesOf(taskId: string, file: string | undefined): vscode.Uri[] {
    if (file !== undefined) return [locationToUri(file)];
    return (this.handlers.engine.get(taskId)?.files ?? []).map((saved) => locationToUri(saved.path));
  }

  private imageOf(taskId: string, file: string | undefined): vscode.Uri | undefined {
    return this.imagesOf(taskId, file)[0];
  }

  private remember(editor: vscode.TextEditor | undefined): void {
    if (editor && MarkdownLinkAnchor.applies(editor.document)) this.lastMarkdownEditor = editor;
  }

  private markdownEditor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active && MarkdownLinkAnchor.applies(active.document)) return active;
    const last = this.lastMarkdownEditor;
    // The editor object is replaced when its tab is closed and reopened: only a visible one is usable.
    return last && vscode.window.visibleTextEditors.includes(last) ? last : vscode.window.visibleTextEditors.find((e) => MarkdownLinkAnchor.applies(e.document));
  }
}
