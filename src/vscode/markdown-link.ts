/**
 * Markdown image links to generated files.
 *
 * After a generation from a Markdown selection, the links go on a new line after the selection, in
 * one WorkspaceEdit (one undo removes them all). The task may take a minute and the user keeps
 * typing meanwhile, so the insertion point is an offset kept up to date through every change of the
 * document (MarkdownLinkAnchor): edits before it shift it, edits after it do not matter. Decided:
 * when an edit replaces text across the insertion point, or the document is closed, we no longer
 * know where "after the selection" is, so nothing is inserted; the panel's "Insert Markdown Link"
 * action remains.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

const ALT_MAX_CHARS = 60;

/** The path of `target` relative to the document, each segment URL-encoded (spaces, CJK, parentheses). */
export function relativeLinkPath(document: vscode.Uri, target: vscode.Uri): string {
  if (document.scheme !== target.scheme || document.authority !== target.authority) return target.toString();
  const relative = path.posix.relative(path.posix.dirname(document.path), target.path);
  return relative
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** The prompt as alt text: one line, shortened, with the characters that would end it escaped. */
export function altText(prompt: string): string {
  const line = prompt.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  const short = chars.length > ALT_MAX_CHARS ? `${chars.slice(0, ALT_MAX_CHARS - 1).join('').trimEnd()}…` : line;
  return short.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

export function markdownImageLink(document: vscode.Uri, target: vscode.Uri, prompt: string): string {
  return `![${altText(prompt)}](${relativeLinkPath(document, target)})`;
}

function eolOf(document: vscode.TextDocument): string {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

/** Where "after the selection" is: the end of the last selected line (a selection ending at column 0 ends on the line before). */
function insertionOffset(document: vscode.TextDocument, selection: vscode.Selection): number {
  const end = selection.end;
  const line = end.character === 0 && end.line > selection.start.line ? end.line - 1 : end.line;
  return document.offsetAt(document.lineAt(line).range.end);
}

/** The insertion point after a Markdown selection, followed through the document's later edits. */
export class MarkdownLinkAnchor implements vscode.Disposable {
  private offset: number;
  private lost = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly document: vscode.TextDocument,
    selection: vscode.Selection,
  ) {
    this.offset = insertionOffset(document, selection);
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document !== this.document) return;
        for (const change of event.contentChanges) this.follow(change);
      }),
      vscode.workspace.onDidCloseTextDocument((closed) => {
        if (closed === this.document) this.lost = true;
      }),
    ];
  }

  /** Whether the selection is in a Markdown document (the only kind that gets a link). */
  static applies(document: vscode.TextDocument): boolean {
    return document.languageId === 'markdown' || /\.(md|markdown)$/i.test(document.uri.path);
  }

  /** Inserts one link per image on new lines after the selection; false when the place is lost. */
  async insert(images: readonly vscode.Uri[], prompt: string): Promise<boolean> {
    if (this.lost || this.document.isClosed || images.length === 0) return false;
    const eol = eolOf(this.document);
    const text = images.map((image) => eol + markdownImageLink(this.document.uri, image, prompt)).join('');
    const at = this.document.positionAt(this.offset);
    // A selection ending exactly where the links go would grow over them; keep it as the user left it.
    const kept = vscode.window.visibleTextEditors
      .filter((editor) => editor.document === this.document)
      .map((editor) => ({ editor, selections: editor.selections }));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(this.document.uri, at, text);
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    for (const { editor, selections } of kept) {
      if (selections.some((selection) => selection.end.isEqual(at)) && editor.selections.length === selections.length) {
        // Those before the insertion point did not move; the others were shifted by VS Code already.
        editor.selections = editor.selections.map((current, i) => (selections[i]!.end.isEqual(at) ? selections[i]! : current));
      }
    }
    return true;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private follow(change: vscode.TextDocumentContentChangeEvent): void {
    const start = change.rangeOffset;
    const end = start + change.rangeLength;
    if (end <= this.offset) this.offset += change.text.length - change.rangeLength;
    else if (start < this.offset) this.lost = true;
  }
}

/** The panel's "Insert Markdown Link": at the cursor of a Markdown editor, one link per line. */
export async function insertLinksAtCursor(editor: vscode.TextEditor, images: readonly vscode.Uri[], prompt: string): Promise<boolean> {
  const eol = eolOf(editor.document);
  const text = images.map((image) => markdownImageLink(editor.document.uri, image, prompt)).join(eol);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(editor.document.uri, editor.selection.active, text);
  return vscode.workspace.applyEdit(edit);
}
