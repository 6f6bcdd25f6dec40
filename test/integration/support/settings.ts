// Workspace settings for a test, written to the test workspace's .vscode/settings.json through the
// real configuration API (so the extension sees onDidChangeConfiguration like a user edit).
import * as vscode from 'vscode';

/**
 * Sets `imageStudio.<key>` (or any full key containing a dot before the first segment, e.g.
 * 'editor.fontSize') values at workspace level; resolves to a function that puts back what was
 * there before (undefined = removed). `undefined` as a value removes the setting.
 */
export async function updateWorkspaceSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const previous: [string, unknown][] = [];
  for (const [key, value] of Object.entries(values)) {
    const { section, name } = split(key);
    const configuration = vscode.workspace.getConfiguration(section);
    previous.push([key, configuration.inspect(name)?.workspaceValue]);
    await configuration.update(name, value, vscode.ConfigurationTarget.Workspace);
  }
  return async () => {
    for (const [key, value] of previous.reverse()) {
      const { section, name } = split(key);
      await vscode.workspace.getConfiguration(section).update(name, value, vscode.ConfigurationTarget.Workspace);
    }
  };
}

/**
 * Mocha hooks: the settings hold for the enclosing describe() (before -> after), then the earlier
 * workspace values come back.
 */
export function useWorkspaceSettings(values: Record<string, unknown>): void {
  let restore: (() => Promise<void>) | undefined;
  before(async () => {
    restore = await updateWorkspaceSettings(values);
  });
  after(async () => {
    await restore?.();
  });
}

/** 'endpoint' -> imageStudio.endpoint; 'editor.fontSize' stays as it is. */
function split(key: string): { section: string; name: string } {
  const full = key.includes('.') ? key : `imageStudio.${key}`;
  const dot = full.indexOf('.');
  return { section: full.slice(0, dot), name: full.slice(dot + 1) };
}
