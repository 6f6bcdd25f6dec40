// Files in the test workspace (the runner opens a fresh temp folder per run), through
// vscode.workspace.fs like the extension itself. Paths are workspace-relative with '/' separators.
import * as vscode from 'vscode';

/** The first (and only) workspace folder of the test window. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration tests need a workspace folder (the runner opens one)');
  return folder.uri;
}

export function workspaceUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/').filter((part) => part.length > 0));
}

/** Writes a text (UTF-8) or binary file, creating its folders. */
export async function writeFile(rel: string, content: string | Uint8Array): Promise<vscode.Uri> {
  const uri = workspaceUri(rel);
  await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  return uri;
}

export async function readFileBytes(rel: string): Promise<Uint8Array> {
  return vscode.workspace.fs.readFile(workspaceUri(rel));
}

export async function readFileText(rel: string): Promise<string> {
  return new TextDecoder().decode(await readFileBytes(rel));
}

export async function exists(rel: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(workspaceUri(rel));
    return true;
  } catch {
    return false;
  }
}

/** The names of the files directly in relDir, sorted; [] when the folder does not exist. */
export async function listFiles(relDir: string): Promise<string[]> {
  // stat first: readDirectory on a missing folder makes the extension host print a stack trace.
  if (!(await exists(relDir))) return [];
  const entries = await vscode.workspace.fs.readDirectory(workspaceUri(relDir));
  return entries.filter(([, type]) => type === vscode.FileType.File).map(([name]) => name).sort();
}

/** Deletes relDir (or a file) and everything in it; nothing happens when it does not exist. */
export async function removeAll(rel: string): Promise<void> {
  try {
    await vscode.workspace.fs.delete(workspaceUri(rel), { recursive: true, useTrash: false });
  } catch (error) {
    if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) throw error;
  }
}

/** Opens a workspace file in an editor and selects the first occurrence of `select` (or nothing). */
export async function openEditor(rel: string, select?: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(rel));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  if (select !== undefined) {
    const start = document.getText().indexOf(select);
    if (start < 0) throw new Error(`"${select}" is not in ${rel}`);
    editor.selection = new vscode.Selection(document.positionAt(start), document.positionAt(start + select.length));
  }
  return editor;
}

/** Reverts unsaved changes and closes every editor, so one test's documents do not leak into the next (and no "Save?" dialog blocks). */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && !d.isUntitled)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
