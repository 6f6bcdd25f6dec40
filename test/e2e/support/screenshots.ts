// The pictures of a run: test-output/e2e/<step>.png at the end of each step, failure-<test>.png when
// a test fails. The folder is emptied when a run starts, so no picture of an earlier run passes for
// this one's evidence.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

export class Screenshots {
  readonly taken: string[] = [];

  constructor(readonly directory: string) {
    fs.rmSync(directory, { recursive: true, force: true });
    fs.mkdirSync(directory, { recursive: true });
  }

  /** A PNG of the whole workbench (webviews included) as it is now; resolves with its path. */
  async take(page: Page, step: string): Promise<string> {
    const file = path.join(this.directory, `${slug(step)}.png`);
    // The mouse would leave a hover tooltip over whatever it last clicked: park it on the empty
    // part of the title bar.
    const width = page.viewportSize()?.width ?? 1400;
    await page.mouse.move(Math.round(width * 0.25), 8).catch(() => undefined);
    await page.screenshot({ path: file, timeout: 20_000 });
    this.taken.push(file);
    return file;
  }

  /** A failed test's picture, named after it (nothing when the page is gone already); its place is printed. */
  async takeFailure(page: Page | undefined, title: string): Promise<void> {
    if (!page || page.isClosed()) return;
    const file = await this.take(page, `failure-${slug(title)}`).catch(() => undefined);
    if (file) console.log(`      [e2e] screenshot of the failure: ${path.relative(process.cwd(), file)}`);
  }
}

/** A file name from a step or test title: letters, digits and dashes. */
export function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'step'
  );
}
