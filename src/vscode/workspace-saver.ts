/**
 * An ImageSaver that ends in vscode.workspace.fs, so remote and virtual workspaces get their images
 * too. The core FileImageSaver does the hard part (capped download, magic bytes, metadata, atomic
 * publish) into a private temporary folder on the extension host; the finished file is then copied
 * into the workspace under a hidden `.part` name and renamed to the first free `<stem>[-n].<ext>`
 * with overwrite: false. Whatever fails, the temporary folder and the `.part` file are removed, so
 * nothing half-written is left in the workspace and nothing is ever overwritten.
 *
 * Engine directories and saved paths are "locations": a plain file-system path for `file` URIs (what
 * the journal, the log and the user read) and the full URI string for any other scheme.
 *
 * A task whose folder lies in a workspace folder carries that folder (SaveImageRequest.workspaceFolder,
 * journalled with the job): if the user removes the folder from the workspace while the task runs,
 * the image is not written into it (the user closed it; files appearing there afterwards would be a
 * surprise) and the task fails saying so. The folder travels with the task rather than living in
 * this saver because removing the first folder restarts the extension host: the job then comes
 * back from the journal, in a saver that never saw it start.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { candidateFileName } from '../core/images/naming';
import { fileSystemError } from '../core/images/save-errors';
import type { ImageSaver, SavedImage, SaveImageRequest, WorkspaceFolderRef } from '../core/jobs/ports';
import { cancelledError } from '../core/tencent/error-catalog';
import { StudioError } from '../core/tencent/errors';
import { localValidationError } from './commands/messages';
import { assertStaysInWorkspaceFolder } from './output-folder';

const URI_LOCATION = /^[a-z][a-z0-9+.-]+:\/\//i;
const MAX_NAME_ATTEMPTS = 999;

export function uriToLocation(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

export function locationToUri(location: string): vscode.Uri {
  return URI_LOCATION.test(location) ? vscode.Uri.parse(location, true) : vscode.Uri.file(location);
}

/** A folder as the user recognises it in messages. */
function folderLabel(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
}

/** vscode.FileSystemError (and the disk errors behind it) as the core's specific save errors. */
export function workspaceSaveError(error: unknown, folder: vscode.Uri): StudioError {
  if (error instanceof StudioError) return error;
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  const fsCode = error instanceof vscode.FileSystemError ? error.code : undefined;
  const errno =
    /\b(ENOSPC|EDQUOT|EROFS|EACCES|EPERM|ENOTDIR|EEXIST|ENOENT)\b/.exec(text)?.[1] ??
    (fsCode === 'NoPermissions' ? 'EACCES' : fsCode === 'FileNotADirectory' ? 'ENOTDIR' : fsCode === 'FileNotFound' ? 'ENOENT' : undefined);
  const cause = Object.assign(new Error(text), errno ? { code: errno } : {});
  return fileSystemError(cause, folderLabel(folder));
}

function isFileExists(error: unknown): boolean {
  return error instanceof vscode.FileSystemError && error.code === 'FileExists';
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export interface WorkspaceImageSaverOptions {
  /** Private folder on the extension host for the core saver's work (globalStorage or the OS temp folder). */
  readonly temporaryRoot: string;
  /** The core saver of the moment (it is rebuilt when the proxy settings change). */
  readonly fileSaver: () => ImageSaver;
}

/** The task's workspace folder was removed from the workspace before its image could be saved. */
export function workspaceFolderClosedError(folderName: string): StudioError {
  return localValidationError(
    'Client.WorkspaceFolderClosed',
    vscode.l10n.t(
      'The workspace folder "{0}" was closed while the task was running, so the image was not saved into it. The image was generated and is billed.',
      folderName,
    ),
    vscode.l10n.t('Add the folder to the workspace again and generate again, or start the task from a file in a folder that is open.'),
  );
}

/** The task's workspace folder as the engine carries it (undefined for a folder outside any workspace folder). */
export function workspaceFolderRef(folder: vscode.WorkspaceFolder | undefined): WorkspaceFolderRef | undefined {
  return folder && { uri: folder.uri.toString(), name: folder.name };
}

/** Throws Client.WorkspaceFolderClosed when the task's workspace folder is no longer one of the workspace's folders. */
function throwIfFolderClosed(folder: WorkspaceFolderRef | undefined): void {
  if (!folder) return;
  const open = (vscode.workspace.workspaceFolders ?? []).some((candidate) => candidate.uri.toString() === folder.uri);
  if (!open) throw workspaceFolderClosedError(folder.name);
}

export class WorkspaceImageSaver implements ImageSaver {
  /** Stems the user chose in a save dialog, by target folder and prompt; used by the next save there. */
  private readonly preferredStems = new Map<string, string>();

  constructor(private readonly options: WorkspaceImageSaverOptions) {}

  /** The next image saved into `directory` for `prompt` is named `stem[-n].<ext>` instead of the prompt's slug. */
  preferStem(directory: string, prompt: string, stem: string): () => void {
    const key = `${directory}\0${prompt}`;
    this.preferredStems.set(key, stem);
    return () => this.preferredStems.delete(key);
  }

  async save(request: SaveImageRequest): Promise<SavedImage> {
    const target = locationToUri(request.directory);
    throwIfFolderClosed(request.workspaceFolder);
    await mkdir(this.options.temporaryRoot, { recursive: true });
    const scratch = await mkdtemp(path.join(this.options.temporaryRoot, 'save-'));
    try {
      const made = await this.options.fileSaver().save({ ...request, directory: scratch });
      // The download takes a while: the folder may have been closed meanwhile.
      throwIfFolderClosed(request.workspaceFolder);
      const extension = path.extname(made.path).slice(1);
      const stem = this.preferredStems.get(`${request.directory}\0${request.prompt}`) ?? path.basename(made.path, path.extname(made.path));
      const published = await this.publish(vscode.Uri.file(made.path), target, stem, extension, request.signal);
      return { ...made, path: uriToLocation(published) };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Copies the finished file in as `.part`, then renames it to the first free name. */
  private async publish(source: vscode.Uri, directory: vscode.Uri, stem: string, extension: string, signal?: AbortSignal): Promise<vscode.Uri> {
    const fs = vscode.workspace.fs;
    // Creating the folder through a link that points outside would already write outside.
    const folder = vscode.workspace.getWorkspaceFolder(directory);
    if (folder) await assertStaysInWorkspaceFolder(folder, directory);
    try {
      await fs.createDirectory(directory);
    } catch (error) {
      throw workspaceSaveError(error, directory);
    }
    if (signal?.aborted) throw cancelledError();
    const part = vscode.Uri.joinPath(directory, `.${stem}.part-${randomBytes(6).toString('hex')}`);
    let published = false;
    try {
      await fs.copy(source, part, { overwrite: false });
      for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
        if (signal?.aborted) throw cancelledError();
        const candidate = vscode.Uri.joinPath(directory, candidateFileName(stem, extension, attempt));
        if (await exists(candidate)) continue;
        try {
          await fs.rename(part, candidate, { overwrite: false });
          published = true;
          return candidate;
        } catch (error) {
          // Another save took the name between our check and the rename: try the next one.
          if (isFileExists(error)) continue;
          throw error;
        }
      }
      throw new Error(`No free file name after ${MAX_NAME_ATTEMPTS} attempts`);
    } catch (error) {
      throw workspaceSaveError(error, directory);
    } finally {
      if (!published) await fs.delete(part, { useTrash: false }).then(undefined, () => undefined);
    }
  }
}
