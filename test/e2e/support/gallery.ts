// The gallery (webview view imageStudio.gallery in the AIGC Image Studio activity-bar container) as
// the browser shows it: a virtual grid of thumbnail cells (role option, the prompt as hover text),
// a search box, and a detail view with the item's actions.
import type { Frame, Page } from 'playwright-core';
import { waitFor } from '../../integration/support/wait';
import { showActivity, webviewFrame } from './ui';

export interface GalleryCell {
  /** The hover text: the prompt, or the file name for an image without our record. */
  readonly title: string;
  readonly thumbnailLoaded: boolean;
}

const GRID = '.grid[role="listbox"]';

/** Clicks the container's icon in the activity bar; resolves with the gallery page once its grid exists. */
export async function openGalleryFromActivityBar(page: Page): Promise<Frame> {
  await showActivity(page, 'AIGC Image Studio');
  return galleryFrame(page);
}

export function galleryFrame(page: Page): Promise<Frame> {
  return webviewFrame(page, GRID);
}

/** The cells the grid has in the DOM now, in screen order (the virtual grid holds only those near the view). */
export async function galleryCells(page: Page): Promise<GalleryCell[]> {
  const frame = await galleryFrame(page);
  return frame.locator(`${GRID} .cell[role="option"]`).evaluateAll((nodes) =>
    nodes
      .map((node) => ({ node: node as HTMLElement, position: Number(node.getAttribute('aria-posinset') ?? 0) }))
      .sort((a, b) => a.position - b.position)
      .map(({ node }) => ({ title: node.title, thumbnailLoaded: node.classList.contains('cell--loaded') })),
  );
}

/** Waits until the grid's cells satisfy `accept`; resolves with them. */
export function waitForCells(page: Page, what: string, accept: (cells: GalleryCell[]) => boolean, timeoutMs = 30_000): Promise<GalleryCell[]> {
  return waitFor(
    `the gallery to show ${what}`,
    async () => {
      const cells = await galleryCells(page);
      return accept(cells) && cells;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** Clicks into the search box, replaces its text with `text` by typing, as a person does. */
export async function searchGallery(page: Page, text: string): Promise<void> {
  const frame = await galleryFrame(page);
  const box = frame.locator('input.search__input');
  await box.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  if (text) await page.keyboard.type(text);
}

/** Clicks the cell whose hover text is `title`; resolves once the detail view shows it. */
export async function openDetails(page: Page, title: string): Promise<Frame> {
  const frame = await galleryFrame(page);
  await frame.locator(`${GRID} .cell[role="option"][title="${title.replace(/["\\]/g, '\\$&')}"]`).click();
  await frame.locator('section.detail:not([hidden]) .detail__prompt', { hasText: title }).waitFor();
  return frame;
}
