// Which folder the images of a task go to: `<workspace folder>/<imageStudio.outputFolder>`, where
// the workspace folder is the one holding the active file (the first folder otherwise). The setting
// is relative and must stay inside that folder: an absolute path or a `..` escape is refused with a
// clear error rather than writing somewhere the user did not expect. With no folder open, a save
// dialog asks where the first image goes.
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileStem } from '../core/images/naming';
import { localValidationError } from './commands/messages';

export interface OutputChoice {
  /** The folder the engine saves into. */
  readonly directory: vscode.Uri;
  /** Set when the user chose a file name in the save dialog (no folder open): the first image's stem. */
  readonly preferredStem?: string;
}

/** The workspace folder of `resource` (the active file), else the first folder; undefined when none is open. */
export function workspaceFolderFor(resource: vscode.Uri | undefined): vscode.WorkspaceFolder | undefined {
  const owner = resource ? vscode.workspace.getWorkspaceFolder(resource) : undefined;
  return owner ?? vscode.workspace.workspaceFolders?.[0];
}

/**
 * `relative` resolved inside `folder`. Throws a StudioError (Client.OutputFolderOutside) for an
 * absolute path or one that climbs out of the folder.
 */
export function outputDirectoryIn(folder: vscode.WorkspaceFolder, relative: string): vscode.Uri {
  const slashed = relative.trim().replace(/\\/g, '/');
  const normalized = path.posix.normalize(slashed === '' ? '.' : slashed);
  const absolute = path.posix.isAbsolute(normalized) || path.win32.isAbsolute(relative.trim()) || /^[a-z][a-z0-9+.-]*:/i.test(normalized);
  if (absolute || normalized === '..' || normalized.startsWith('../')) {
    throw localValidationError(
      'Client.OutputFolderOutside',
      vscode.l10n.t('The output folder "{0}" is outside the workspace folder "{1}"; images are only saved inside the workspace.', relative, folder.name),
      vscode.l10n.t('Set imageStudio.outputFolder to a path relative to the workspace folder, such as assets/generated.'),
    );
  }
  const segments = normalized.split('/').filter((segment) => segment !== '' && segment !== '.');
  return segments.length === 0 ? folder.uri : vscode.Uri.joinPath(folder.uri, ...segments);
}

/**
 * Throws Client.OutputFolderOutside when `directory`, a path inside `folder` by its name, really lies
 * elsewhere because it (or a folder on the way) is a symbolic link pointing outside: a repository
 * can commit `assets -> /home/user/.ssh`, and writing "into the workspace" must not write there. The
 * nearest part of the path that exists is resolved (the rest is created later, inside it). Only for
 * `file` folders: other file systems have no real path to ask for, and resolve links themselves.
 */
export async function assertStaysInWorkspaceFolder(folder: vscode.WorkspaceFolder, directory: vscode.Uri): Promise<void> {
  if (folder.uri.scheme !== 'file' || directory.scheme !== 'file') return;
  const root = await realpath(folder.uri.fsPath).catch(() => folder.uri.fsPath);
  let existing = directory.fsPath;
  let resolved: string | undefined;
  for (;;) {
    resolved = await realpath(existing).catch(() => undefined);
    const parent = path.dirname(existing);
    if (resolved !== undefined || parent === existing) break;
    existing = parent;
  }
  if (resolved === undefined || resolved === root || resolved.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) return;
  throw localValidationError(
    'Client.OutputFolderOutside',
    vscode.l10n.t(
      'The output folder "{0}" leads outside the workspace folder "{1}" through a symbolic link (to {2}); images are only saved inside the workspace.',
      vscode.workspace.asRelativePath(directory, false),
      folder.name,
      resolved,
    ),
    vscode.l10n.t('Set imageStudio.outputFolder to a folder inside the workspace that is not a link to somewhere else.'),
  );
}

/**
 * Where a task started from `resource` saves. Undefined when no folder is open and the user closed
 * the save dialog.
 */
export async function chooseOutput(resource: vscode.Uri | undefined, outputFolderOf: (folder: vscode.WorkspaceFolder) => string, prompt: string): Promise<OutputChoice | undefined> {
  const folder = workspaceFolderFor(resource);
  if (folder) {
    const directory = outputDirectoryIn(folder, outputFolderOf(folder));
    // Refused before anything is submitted (and billed); the saver checks again before it writes.
    await assertStaysInWorkspaceFolder(folder, directory);
    return { directory };
  }
  const suggested = `${fileStem(prompt, new Date())}.png`;
  const base = resource?.scheme === 'file' ? vscode.Uri.joinPath(resource, '..') : vscode.Uri.file(process.env.HOME ?? process.env.USERPROFILE ?? '/');
  const chosen = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the generated image'),
    defaultUri: vscode.Uri.joinPath(base, suggested),
    filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp'] },
    saveLabel: vscode.l10n.t('Save Image'),
  });
  if (!chosen) return undefined;
  const name = path.posix.basename(chosen.path);
  const stem = name.replace(/\.(png|jpe?g|webp|bmp|tiff?)$/i, '');
  return { directory: vscode.Uri.joinPath(chosen, '..'), preferredStem: stem === '' ? undefined : stem };
}
