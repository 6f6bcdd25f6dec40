/**
 * What the gallery's item buttons (and Enter and Delete in the grid) do. The id comes from the page,
 * so it is looked up in the index first: the page can only name images the gallery lists, never a
 * path of its choosing.
 *
 * Regenerate repeats the image's own generation record (model, prompt, negative prompt, size, style)
 * with a new random seed, one image, through the same flow as every generate command, and saves next
 * to the image. An image without a record, or made by style transfer (whose reference image is not
 * in the record), cannot be repeated: the user is told so.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GalleryEntry } from '../../core/gallery/entry';
import type { GenerationRequest, ModelId } from '../../core/providers/types';
import type { GalleryActionName } from '../../shared/gallery-protocol';
import { askPrompt } from '../commands/prompts';
import { insertLinksAtCursor, MarkdownLinkAnchor } from '../markdown-link';
import type { StudioSettings } from '../settings';
import { specOf } from './gallery-text';

/** Asks before something that cannot be undone; true when the user chose `confirmLabel`. */
export type Confirm = (message: string, detail: string, confirmLabel: string) => Promise<boolean>;

/** A modal warning: the default Confirm. */
export const modalConfirm: Confirm = async (message, detail, confirmLabel) =>
  (await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmLabel)) === confirmLabel;

export interface GalleryActionDeps {
  readonly find: (id: string) => GalleryEntry | undefined;
  readonly settings: () => StudioSettings;
  /** Runs a generation into `directory` (the Generator: credentials, panel, errors). */
  readonly generate: (request: GenerationRequest, directory: vscode.Uri) => Promise<unknown>;
  /** Style transfer with `image` as the reference (the stylizeImage flow). */
  readonly stylize: (image: vscode.Uri) => Promise<unknown>;
  readonly confirm: () => Confirm;
  /** The index changed through an action (a delete): refresh it now rather than wait for the watcher. */
  readonly refresh: () => Promise<void>;
  readonly log: { info(message: string): void; warn(message: string): void };
}

function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
}

/** The Markdown editor to insert into: the active one, else a visible one (the gallery is in the side bar). */
function markdownEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active && MarkdownLinkAnchor.applies(active.document)) return active;
  return vscode.window.visibleTextEditors.find((editor) => MarkdownLinkAnchor.applies(editor.document));
}

export class GalleryActions {
  /** File systems (scheme and authority) where moving to the trash failed: there is none. */
  private readonly withoutTrash = new Set<string>();

  constructor(private readonly deps: GalleryActionDeps) {}

  /** Runs `action` on the image `id`; false when the id is not an image of the gallery (nothing done). */
  async run(action: GalleryActionName, id: string): Promise<boolean> {
    const entry = this.deps.find(id);
    if (!entry) {
      this.deps.log.warn(`Gallery: refused "${action}": the image is not in the gallery's index`);
      return false;
    }
    const uri = vscode.Uri.parse(entry.id, true);
    switch (action) {
      case 'open':
        await vscode.commands.executeCommand('vscode.open', uri);
        break;
      case 'reveal':
        await vscode.commands.executeCommand('revealInExplorer', uri);
        break;
      case 'insertLink':
        await this.insertLink(entry, uri);
        break;
      case 'copyPrompt':
        await this.copy(entry.record?.prompt, vscode.l10n.t('Copied the prompt'));
        break;
      case 'copyPath':
        await this.copy(displayPath(uri), vscode.l10n.t('Copied the image path'));
        break;
      case 'regenerate':
        await this.regenerate(entry, uri, entry.record?.prompt);
        break;
      case 'regenerateWithEdits': {
        if (!this.repeatable(entry)) break;
        const prompt = await askPrompt(entry.record!.prompt);
        if (prompt !== undefined) await this.regenerate(entry, uri, prompt);
        break;
      }
      case 'useAsReference':
        await this.deps.stylize(uri);
        break;
      case 'delete':
        await this.delete(entry, uri);
        break;
    }
    return true;
  }

  private async insertLink(entry: GalleryEntry, uri: vscode.Uri): Promise<void> {
    const editor = markdownEditor();
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a Markdown file and place the cursor where the link should go, then try again.'));
      return;
    }
    // Without a record the file name is the alt text (ours are made from the prompt).
    await insertLinksAtCursor(editor, [uri], entry.record?.prompt || entry.name.replace(/\.[^.]+$/, ''));
  }

  private async copy(text: string | undefined, done: string): Promise<void> {
    if (text === undefined) return;
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(done, 3000);
  }

  /** Whether the record can be run again; tells the user why not. */
  private repeatable(entry: GalleryEntry): boolean {
    const spec = entry.record && specOf(entry.record.model);
    if (spec && !spec.referenceImages.required) return true;
    this.deps.log.info(
      `Gallery: cannot generate ${entry.name} again: ${!entry.record ? 'it has no generation record' : spec ? 'it was made by style transfer' : `unknown model ${entry.record.model}`}`,
    );
    const reason = !entry.record
      ? vscode.l10n.t('{0} has no generation record, so it cannot be generated again. Use "Generate Image…" with a new prompt.', entry.name)
      : spec
        ? vscode.l10n.t('{0} was made by style transfer from another image; use "Use as Reference (Image to Image)" on that image instead.', entry.name)
        : vscode.l10n.t('{0} was made with the model "{1}", which this version of the extension does not know.', entry.name, entry.record.model);
    void vscode.window.showInformationMessage(reason);
    return false;
  }

  private async regenerate(entry: GalleryEntry, uri: vscode.Uri, prompt: string | undefined): Promise<void> {
    if (!this.repeatable(entry) || prompt === undefined) return;
    const record = entry.record!;
    const settings = this.deps.settings();
    const request: GenerationRequest = {
      modelId: record.model as ModelId,
      prompt,
      negativePrompt: record.negativePrompt,
      resolution: record.size,
      style: record.style,
      count: 1,
      // A new random seed: the record's seed would make the same picture again.
      seed: undefined,
      watermark: settings.watermark,
      mpsModelName: settings.mpsModelName,
      mpsModelVersion: settings.mpsModelVersion,
    };
    await this.deps.generate(request, vscode.Uri.joinPath(uri, '..'));
  }

  /**
   * To the trash after a modal confirmation. Where there is no trash (a remote or a browser-served
   * workspace has none) the user is told and asked again before the file is deleted for good; after
   * that, deletes on the same file system ask once, about deleting permanently.
   */
  private async delete(entry: GalleryEntry, uri: vscode.Uri): Promise<void> {
    const confirm = this.deps.confirm();
    const fileSystem = `${uri.scheme}://${uri.authority}`;
    const permanently = vscode.l10n.t('Delete Permanently');
    const askPermanently = (detail: string) => confirm(vscode.l10n.t('Delete "{0}" permanently?', entry.name), detail, permanently);
    if (this.withoutTrash.has(fileSystem)) {
      if (!(await askPermanently(vscode.l10n.t('This workspace has no trash: {0} cannot be restored after it is deleted.', entry.relPath)))) return;
      await vscode.workspace.fs.delete(uri, { useTrash: false });
      await this.deps.refresh();
      return;
    }
    const toTrash = vscode.l10n.t('Move to Trash');
    if (!(await confirm(vscode.l10n.t('Delete "{0}"?', entry.name), vscode.l10n.t('The image is moved to the trash: {0}', entry.relPath), toTrash))) return;
    try {
      await vscode.workspace.fs.delete(uri, { useTrash: true });
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
        await this.deps.refresh();
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`Gallery: could not move ${path.posix.basename(uri.path)} to the trash: ${reason}`);
      this.withoutTrash.add(fileSystem);
      if (!(await askPermanently(vscode.l10n.t('It could not be moved to the trash ({0}). Deleting it permanently cannot be undone.', reason)))) return;
      await vscode.workspace.fs.delete(uri, { useTrash: false });
    }
    await this.deps.refresh();
  }
}
