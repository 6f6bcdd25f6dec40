// What a person does in the workbench, as Playwright steps: mouse, keyboard, context menus, quick
// input, notifications, the explorer. Each helper waits for the real condition it needs (an element
// shown, a title changed), never for a fixed time.
import type { Frame, Locator, Page, Route } from 'playwright-core';
import { waitFor } from '../../integration/support/wait';

/**
 * A pattern for `text` as Monaco renders it: a space may be a no-break space, or the middle dot
 * (U+00B7) that shows whitespace inside a selection.
 */
const renderedText = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s\u00b7]');

/** The line of the active editor that shows exactly `text` (not a longer line that contains it). */
export function editorLine(page: Page, text: string): Locator {
  return page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: new RegExp(`^\\s*${renderedText(text)}\\s*$`) }).first();
}

/** The line of the active editor that starts with `prefix` (a wrapped line: its first part). */
export function editorLineStarting(page: Page, prefix: string): Locator {
  return page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: new RegExp(`^\\s*${renderedText(prefix)}`) }).first();
}

/** Opens a file by double-clicking it in the explorer (a pinned editor, not a preview). */
export async function openFromExplorer(page: Page, name: string): Promise<void> {
  await explorerRow(page, name).dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
}

/** Clicks into the line that shows `text`, then End, Shift+Home: the whole line is selected. */
export async function selectLine(page: Page, text: string): Promise<Locator> {
  const line = editorLine(page, text);
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.locator('.editor-group-container.active .monaco-editor .selected-text').first().waitFor();
  return line;
}

/** Right-clicks `target` and chooses `item` in the context menu. */
export async function contextMenu(page: Page, target: Locator, item: string): Promise<void> {
  await target.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  const entry = menu.locator('.action-item', { hasText: item });
  // Point at it first, as a person does: the menu highlights the item under the mouse.
  await entry.hover();
  await menu.locator('.action-item.focused', { hasText: item }).waitFor();
  // VS Code's menu ignores a mouse-up in the first 100 ms after it opened (against accidental
  // clicks; menu.ts runOnceToEnableMouseUp), which no DOM state shows. A robot can be that fast, so
  // it does what a person does when a click is ignored: clicks again, until the menu closes.
  await waitFor(
    `"${item}" to run from the context menu`,
    async () => {
      if ((await menu.count()) === 0) return true;
      await entry.click({ timeout: 2_000 });
      await menu.waitFor({ state: 'detached', timeout: 500 });
      return true;
    },
    { timeoutMs: 10_000, intervalMs: 0 },
  );
}

/** The toast whose message contains `message`. */
export function notification(page: Page, message: string): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: message }).first();
}

/** Waits until the toast of `message` has finished sliding in (a screenshot then shows it whole). */
export async function waitForNotification(page: Page, message: string): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast.notification-fade-in-done', { hasText: message }).first();
  await toast.waitFor();
  return toast;
}

/** Closes the toast of `message` with its own close button, as a person who has read it does. */
export async function dismissNotification(page: Page, message: string): Promise<void> {
  const toast = await waitForNotification(page, message);
  await toast.hover();
  await toast.locator('.codicon-notifications-clear').click();
  await toast.waitFor({ state: 'detached' });
}

/**
 * Runs a command from the command palette as a person does: F1, type its title, Enter once the
 * focused entry is that command (`title` as the palette shows it, e.g. "AIGC Image Studio: Get Started").
 */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input.input').waitFor();
  await page.keyboard.type(title);
  await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label^="${title}"]`).waitFor();
  await page.keyboard.press('Enter');
}

/** Waits for the quick input titled `title` (e.g. "… (2/3)"), types `text` (may be empty) and presses Enter. */
export async function answerQuickInput(page: Page, title: string, text: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  if (text) await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

export function explorerRow(page: Page, name: string): Locator {
  return page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);
}

/**
 * Expands the explorer's folders along `folders` by clicking them (compact folders such as
 * "assets/generated" are one row) until the row of `file` shows; resolves with that row.
 */
export async function expandExplorerTo(page: Page, folders: readonly string[], file: string): Promise<Locator> {
  const target = explorerRow(page, file);
  for (const folder of folders) {
    if (await target.isVisible()) break;
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: folder }).first();
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }
  await target.waitFor();
  return target;
}

/** The text of the active editor as rendered: its visible lines joined (wrapped lines join up again). */
export async function editorText(page: Page): Promise<string> {
  const lines = await page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line').evaluateAll((nodes) =>
    // view-line elements are absolutely positioned and reused out of order: sort by their top.
    nodes
      .map((node) => ({ top: parseFloat((node as HTMLElement).style.top || '0'), text: (node.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
  return lines.join('');
}

/**
 * The inner frame (#active-frame) of the webview whose page has `selector`. A webview is two nested
 * iframes (iframe.webview > #active-frame); the page may be rebuilt when its view is hidden and shown
 * again, so it is found afresh each time.
 */
export function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  return waitFor(
    `a webview showing ${selector}`,
    async () => {
      for (const frame of page.frames()) {
        if (frame.isDetached() || frame.parentFrame() === null) continue;
        if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** The modal dialog whose message contains `message`, once it is shown. */
export async function waitForDialog(page: Page, message: string, timeoutMs = 30_000): Promise<Locator> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: message });
  await dialog.waitFor({ timeout: timeoutMs });
  return dialog;
}

/** Clicks `button` in the modal `dialog` and waits for the dialog to close. */
export async function answerDialog(dialog: Locator, button: string): Promise<void> {
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: button }).click();
  await dialog.waitFor({ state: 'detached' });
}

/**
 * Shows a view container by clicking its icon in the activity bar (e.g. "Explorer"), unless it is
 * shown already: clicking the icon of the container on show would hide the side bar.
 */
export async function showActivity(page: Page, label: string): Promise<void> {
  const shown = page.locator(`.part.activitybar .action-item.checked a.action-label[aria-label^="${label}"]`);
  if ((await shown.count()) > 0) return;
  await page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${label}"]`).click();
  await shown.waitFor();
}

/**
 * Reloads the window as a VS Code user does: F1, "Developer: Reload Window". VS Code then shuts the
 * window down properly (its layout and state saved, this window's extension host ended) and loads it
 * again. A browser refresh (page.reload()) skips that shutdown, so VS Code reopens without the
 * editors and panels it had. `whileClosed` runs after the old window has gone and before the new one
 * may load: the time VS Code is closed.
 */
export async function reloadWindow(page: Page, whileClosed?: () => Promise<void>): Promise<void> {
  await acrossReload(
    page,
    async () => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input.input').waitFor();
      await page.keyboard.type('Developer: Reload Window');
      // The exact command, not "… With Extensions Disabled": Enter once it is the focused entry.
      await page.locator('.quick-input-list .monaco-list-row.focused[aria-label^="Developer: Reload Window"]:not([aria-label*="Extensions"])').waitFor();
      await page.keyboard.press('Enter');
    },
    whileClosed,
  );
}

/**
 * Does `act`, something after which VS Code reloads the window (Reload Window; removing the first
 * folder of a multi-root workspace), and waits for the new window. The new window's page is held
 * back until `whileClosed` has run: the old window has shut down by then, and the new one has not
 * started.
 */
export async function acrossReload(page: Page, act: () => Promise<void>, whileClosed?: () => Promise<void>): Promise<void> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let unloaded: () => void = () => undefined;
  const oldWindowGone = new Promise<void>((resolve) => (unloaded = resolve));
  const holdNextWindow = async (route: Route): Promise<void> => {
    if (!route.request().isNavigationRequest() || route.request().frame() !== page.mainFrame()) return route.fallback();
    unloaded();
    await released;
    return route.fallback();
  };
  await page.route('**/*', holdNextWindow);
  try {
    await act();
    await oldWindowGone;
    await whileClosed?.();
  } finally {
    release();
  }
  await page.unroute('**/*', holdNextWindow);
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
}
