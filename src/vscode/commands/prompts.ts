// Where a prompt comes from: the editor's selection(s), or an input box.
import * as vscode from 'vscode';
import { MarkdownLinkAnchor } from '../markdown-link';
import type { StudioSettings } from '../settings';

export interface SelectionPrompt {
  /** The selections' texts, each trimmed, empty ones dropped, joined with a newline. */
  readonly text: string;
  readonly editor?: vscode.TextEditor;
  /** The selections the text was read from (the links go after the last of them). */
  readonly selections: readonly vscode.Selection[];
}

/** The prompt in `at` (the editor when the command was invoked; else the active editor now). */
export function selectionPrompt(at?: { readonly editor: vscode.TextEditor; readonly selections: readonly vscode.Selection[] }): SelectionPrompt {
  const editor = at?.editor ?? vscode.window.activeTextEditor;
  if (!editor) return { text: '', selections: [] };
  const selections = at?.selections ?? [...editor.selections];
  const parts = [...selections]
    .sort((a, b) => a.start.compareTo(b.start))
    .map((selection) => editor.document.getText(selection).trim())
    .filter((text) => text !== '');
  return { text: parts.join('\n'), editor, selections };
}

/** The input box of "Generate Image…"; undefined when the user closes it. */
export async function askPrompt(prefill: string): Promise<string | undefined> {
  const prompt = await vscode.window.showInputBox({
    title: vscode.l10n.t('Generate Image'),
    prompt: vscode.l10n.t('Describe the image to generate'),
    placeHolder: vscode.l10n.t('e.g. a lighthouse on a cliff at dawn, watercolour'),
    value: prefill,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Enter a description of the image.') : undefined),
  });
  return prompt?.trim();
}

/**
 * The anchor for Markdown links when `prompt` is the selection of a Markdown editor and the setting
 * asks for links. After several selections, the links go after the last one.
 */
export function linkAnchorFor(selection: SelectionPrompt, prompt: string, settings: StudioSettings): MarkdownLinkAnchor | undefined {
  const { editor } = selection;
  if (!editor || selection.text === '' || prompt !== selection.text) return undefined;
  if (settings.insertMarkdownLink !== 'auto' || !MarkdownLinkAnchor.applies(editor.document)) return undefined;
  const last = [...selection.selections].filter((s) => !s.isEmpty).sort((a, b) => b.end.compareTo(a.end))[0];
  return last ? new MarkdownLinkAnchor(editor.document, last) : undefined;
}
