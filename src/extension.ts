// Composition root, loaded at activation. It must stay cheap (design.md: bundle <= 30 KB, <= 1.5x
// an empty extension's activation), so it registers contributions only; everything they do lives in
// dist/studio.js (src/vscode/studio.ts), required on the first command.
import type * as vscode from 'vscode';
import type { EditorAtInvocation, Studio } from './vscode/studio';

// A plain require, not `import * as vscode`: for an external module esbuild turns a namespace import
// into a copy of every property of the API object (its __toESM helper), which took 0.4–2.5 ms of a
// 3–8 ms activation in the activation benchmark (test/bench/activation.ts). This keeps the host's object.
const { commands, window } = require('vscode') as typeof vscode;

/** The contributed commands (package.json), each forwarded to the studio once it is loaded. */
export const COMMANDS = [
  'generateFromSelection',
  'generate',
  'generateWithOptions',
  'stylizeImage',
  'setCredentials',
  'clearCredentials',
  'checkConnection',
  'showTasks',
  'cancelAll',
  'cancelTask',
  'openGallery',
  'refreshGallery',
  'openOutputFolder',
  'openWalkthrough',
  'galleryForTests',
] as const;
export type CommandName = (typeof COMMANDS)[number];

let studio: Promise<Studio> | undefined;

function loadStudio(context: vscode.ExtensionContext): Promise<Studio> {
  studio ??= Promise.resolve().then(() => {
    // Kept out of this bundle on purpose (esbuild external): loading it is the expensive part.
    const { createStudio } = require('./studio.js') as typeof import('./vscode/studio');
    const created = createStudio(context);
    context.subscriptions.push(created);
    return created;
  });
  return studio;
}

/**
 * The editor and its selections when a command is invoked. The first command waits for the studio to
 * load; a selection read after that could be one the user made meanwhile (a prompt they did not ask for).
 */
function editorNow(): EditorAtInvocation | undefined {
  const editor = window.activeTextEditor;
  return editor && { editor, selections: [...editor.selections] };
}

export function activate(context: vscode.ExtensionContext): void {
  for (const name of COMMANDS) {
    context.subscriptions.push(
      commands.registerCommand(`imageStudio.${name}`, async (...args: unknown[]) => {
        const invokedIn = editorNow();
        return (await loadStudio(context)).run(name, args, invokedIn);
      }),
    );
  }
  context.subscriptions.push(
    window.registerWebviewPanelSerializer('imageStudio.tasks', {
      deserializeWebviewPanel: async (panel, state) => (await loadStudio(context)).restoreTaskPanel(panel, state),
    }),
    // Resolved only when the user opens the gallery; that is when the studio is loaded for it.
    window.registerWebviewViewProvider('imageStudio.gallery', {
      resolveWebviewView: async (view) => (await loadStudio(context)).resolveGallery(view),
    }),
  );
}

export function deactivate(): void {
  studio = undefined;
}
