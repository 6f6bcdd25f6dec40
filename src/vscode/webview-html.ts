/**
 * The one HTML page every webview of ours starts from, so the task panel and the gallery cannot
 * drift apart on the security rules (design.md "Webviews"): `default-src 'none'`, images, styles and
 * fonts only from the webview's own resource origin, and the single script allowed by a fresh nonce.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { languageOf } from './task-view';

export interface WebviewPage {
  readonly extensionUri: vscode.Uri;
  /** `<html lang>`: `zh-CN` or `en`. */
  readonly language: string;
  readonly title: string;
  /** File names in media/: the page's stylesheet and script bundle. */
  readonly stylesheet: string;
  readonly script: string;
}

/** The language tag of VS Code's display language, for `<html lang>` (we ship English and Chinese). */
export function pageLanguage(): string {
  return languageOf(vscode.env.language) === 'zh' ? 'zh-CN' : 'en';
}

export function webviewHtml(webview: vscode.Webview, page: WebviewPage): string {
  // 128 random bits, new for every page: a script injected into the page cannot know it.
  const nonce = randomBytes(16).toString('base64');
  const media = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(page.extensionUri, 'media', ...path)).toString();
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource}`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(page.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(media('codicons', 'codicon.css'))}">
<link rel="stylesheet" href="${escapeHtml(media(page.stylesheet))}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${nonce}" src="${escapeHtml(media(page.script))}"></script>
</body>
</html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The folders a webview may load from (its localResourceRoots): the extension's media/ first, then
 * `more`, each once. Nothing else of the disk is reachable from the page.
 */
export function resourceRoots(extensionUri: vscode.Uri, more: readonly vscode.Uri[]): vscode.Uri[] {
  const seen = new Set<string>();
  return [vscode.Uri.joinPath(extensionUri, 'media'), ...more].filter((root) => {
    const key = root.toString();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether two root lists are the same (a change means the page must be reloaded to see it). */
export function sameRoots(a: readonly vscode.Uri[], b: readonly vscode.Uri[]): boolean {
  return a.map(String).join('\n') === b.map(String).join('\n');
}
