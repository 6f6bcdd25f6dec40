// Screenshots of the whole workbench (the webview panel included), taken by the runner that owns
// the browser page (test/runtime/run-ext-tests.mjs). The extension host cannot capture the page
// itself, so the request travels as a marker line: console.log in the extension host ->
// window.codeAutomationLog in the page -> the runner, which writes <name>.png.partial and renames
// it to <name>.png; the test waits for that name, so it never reads half a file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sleep, waitFor } from './wait';

/** Must match SCREENSHOT_MARKER in test/runtime/run-ext-tests.mjs. */
const MARKER = '[[studio-screenshot]]';

/** True under the offline runner; false under @vscode/test-electron, which has no page to capture. */
export function canTakeScreenshots(): boolean {
  return process.env.STUDIO_TEST_SCREENSHOTS === '1' && !!process.env.STUDIO_TEST_OUTPUT;
}

/** Where takeScreenshot(name) puts its PNG: test-output/screenshots/<name>.png. */
export function screenshotPath(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$/.test(name)) throw new Error(`screenshot name "${name}": letters, digits, - and _ only`);
  const output = process.env.STUDIO_TEST_OUTPUT;
  if (!output) throw new Error('STUDIO_TEST_OUTPUT is not set (the runner sets it)');
  return path.join(output, 'screenshots', `${name}.png`);
}

/**
 * Asks the runner for a PNG of the workbench as it is now and resolves with its path once the file
 * is complete. In a test, skip when !canTakeScreenshots() (this.skip()) rather than call it.
 * `clearNotifications` (default true): earlier tests' toasts would otherwise cover the picture;
 * pass false to capture a notification on purpose.
 */
export async function takeScreenshot(name: string, { timeoutMs = 30_000, clearNotifications = true } = {}): Promise<string> {
  if (!canTakeScreenshots()) throw new Error('this runner cannot take screenshots (only test/runtime/run-ext-tests.mjs can)');
  const file = screenshotPath(name);
  fs.rmSync(file, { force: true });
  if (clearNotifications) {
    await vscode.commands.executeCommand('notifications.clearAll');
    // The toasts slide out with an animation; the page must have repainted without them.
    await sleep(300);
  }
  console.log(`${MARKER} ${JSON.stringify({ name, file })}`);
  return waitFor(`the runner to write ${file}`, () => fs.existsSync(file) && file, { timeoutMs, intervalMs: 50 });
}
