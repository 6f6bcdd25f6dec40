// Composition root. Activation must stay cheap (design.md: bundle <= 30 KB, <= 1.5x an empty
// extension's activation): it registers contributions only; the engine bundle is loaded on first use.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Commands and views arrive with the editor issue; the engine (src/engine.ts) is ready below.
}

export function deactivate(): void {
  // Nothing to release yet.
}
