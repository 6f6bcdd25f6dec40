// The Get Started walkthrough in the real workbench: the packaged extension in code-server's VS Code,
// driven in Chromium. VS Code must list it, show its steps with their pictures in the theme's colours,
// and each step's button must do what it says: ask for the credentials, ask for a prompt, show the
// gallery, open the settings at the model and the watermark.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import packageJson from '../../package.json';
import { waitFor } from '../integration/support/wait';
import { galleryFrame } from './support/gallery';
import { Screenshots } from './support/screenshots';
import { runFromPalette, webviewFrame } from './support/ui';
import { closeWorkbench, startWorkbench, type Workbench } from './support/workbench';

const repo = path.resolve(__dirname, '../..');
const english = JSON.parse(fs.readFileSync(path.join(repo, 'package.nls.json'), 'utf8')) as Record<string, string>;
const text = (nlsValue: string): string => english[nlsValue.replace(/^%|%$/g, '')]!;

const walkthrough = packageJson.contributes.walkthroughs[0]!;
/** How VS Code names it and its steps: `<publisher>.<name>#<walkthrough>[#<step>]`. */
const walkthroughId = `${packageJson.publisher}.${packageJson.name}#${walkthrough.id}`;
const TITLE = text(walkthrough.title);
const STEP_TITLES = walkthrough.steps.map((step) => text(step.title));

/** Screenshots share test-output/e2e with the other e2e files; the prefix keeps them apart. */
const shots = new Screenshots(path.join(repo, 'test-output/e2e'));

/** The step's entry in the walkthrough's list (a button that expands it). */
function stepEntry(page: Page, stepId: string): Locator {
  return page.locator(`button.getting-started-step[data-step-id="${walkthroughId}#${stepId}"]`);
}

/** Selects a step as a person does (a click on its title) and waits until it is the expanded one. */
async function selectStep(page: Page, stepId: string): Promise<Locator> {
  const entry = stepEntry(page, stepId);
  if ((await entry.getAttribute('aria-expanded')) !== 'true') await entry.locator('h3.step-title').click();
  await page.locator(`button.getting-started-step.expanded[data-step-id="${walkthroughId}#${stepId}"]`).waitFor();
  return entry;
}

/**
 * The step's picture as VS Code shows it: our SVG inlined into the walkthrough's webview. Resolves
 * with its rendered size and the computed fill of its background, so an SVG that failed to render, or
 * whose theme colours did not resolve (an unknown colour paints black), is caught.
 */
async function stepPicture(page: Page, svgId: string): Promise<{ width: number; height: number; background: string }> {
  const frame = await webviewFrame(page, `svg#${svgId}`);
  return frame.locator(`svg#${svgId}`).evaluate((svg) => {
    const box = svg.getBoundingClientRect();
    const background = svg.querySelector('rect');
    return { width: box.width, height: box.height, background: background ? getComputedStyle(background).fill : 'none' };
  });
}

/** Clicks the button labelled `label` in the expanded step. */
async function clickStepButton(page: Page, label: string): Promise<void> {
  await page.locator('.getting-started-step.expanded .button-container .monaco-button', { hasText: label }).click();
}

describe('The Get Started walkthrough in the browser', function () {
  let workbench: Workbench;
  let page: Page;

  before(async function () {
    this.timeout(120_000);
    const vsix = process.env.STUDIO_E2E_VSIX ?? path.join(repo, 'aigc-image-studio.vsix');
    if (!fs.existsSync(vsix)) throw new Error(`no packaged extension at ${vsix}: run npm run package (npm run test:e2e does)`);
    // A first run: no credentials anywhere (startWorkbench removes the TENCENTCLOUD_* variables) and
    // no cloud needed, since no step here sends a request.
    workbench = await startWorkbench({
      runtime: process.env.VSCODE_OFFLINE_DIR ?? path.join(repo, '.vscode-offline'),
      vsix,
      files: { 'notes.md': '# Notes\n\nA paper lantern floating on a quiet river\n' },
      userSettings: {},
    });
    page = workbench.page;
    // The palette lists the commands known when it opens: wait until the extension's contributions are
    // registered (its activity-bar icon shows), as a person would see the icon before reaching for it.
    await page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${text('%viewsContainer.imageStudio%')}"]`).waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shots.takeFailure(page, this.currentTest.title);
  });

  after(async function () {
    this.timeout(30_000);
    const failed = this.test?.parent?.tests.some((test) => test.state === 'failed') ?? false;
    await closeWorkbench(workbench, failed);
  });

  it('VS Code lists it under Welcome: Open Walkthrough…, and it opens with its title and every step title', async function () {
    await runFromPalette(page, 'Welcome: Open Walkthrough...');
    const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: TITLE });
    await entry.waitFor();
    await shots.take(page, 'walkthrough-0-listed-by-vs-code');
    await entry.click();

    await page.locator('.gettingStartedContainer h2.category-title', { hasText: TITLE }).waitFor();
    const shown = await page.locator('.gettingStartedContainer button.getting-started-step h3.step-title').allInnerTexts();
    assert.deepEqual(shown.map((t) => t.trim()), STEP_TITLES);
    // Closed with its tab's close button, so the next test opens it afresh with the extension's command.
    await page.locator('.tabs-container .tab.active', { hasText: 'Walkthrough' }).locator('.tab-actions .action-label').click();
    await page.locator('.gettingStartedContainer').waitFor({ state: 'detached' });
  });

  it('"AIGC Image Studio: Get Started" opens it; each step shows its picture in the theme\'s colours', async function () {
    await runFromPalette(page, `${text(packageJson.displayName)}: ${text('%command.openWalkthrough%')}`);
    await page.locator('.gettingStartedContainer h2.category-title', { hasText: TITLE }).waitFor();
    for (const [index, step] of walkthrough.steps.entries()) {
      await selectStep(page, step.id);
      const svgId = path.basename(step.media.svg, '.svg');
      const picture = await stepPicture(page, svgId);
      assert.ok(picture.width > 200 && picture.height > 100, `${step.id}: the picture is ${picture.width}x${picture.height}`);
      assert.ok(!['none', 'rgb(0, 0, 0)', ''].includes(picture.background), `${step.id}: the background is ${picture.background}, not a theme colour`);
      await shots.take(page, `walkthrough-${index + 1}-${step.id}`);
    }
  });

  it('the credentials step: Set Credentials asks for the SecretId, and running it checks the step off', async function () {
    const entry = await selectStep(page, 'credentials');
    assert.equal(await entry.getAttribute('aria-checked'), 'false', 'a first run starts with the step not done');
    await clickStepButton(page, 'Set Credentials');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Set Credentials (1/3)' }).waitFor();
    await page.locator('.quick-input-widget input.input').waitFor();
    await shots.take(page, 'walkthrough-5-set-credentials-asks');
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    // completionEvents onCommand:imageStudio.setCredentials: running the command checks the step off.
    await waitFor('the credentials step to be checked off', async () => (await entry.getAttribute('aria-checked')) === 'true', { timeoutMs: 10_000 });
  });

  it('the generate step asks for a prompt; the gallery step shows the gallery', async function () {
    await selectStep(page, 'generate');
    await clickStepButton(page, 'Generate Image…');
    // The prompt comes first; the missing credentials are asked for after it (studio.e2e.ts covers that).
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Generate Image' }).waitFor();
    await page.locator('.quick-input-widget', { hasText: 'Describe the image to generate' }).waitFor();
    await shots.take(page, 'walkthrough-6-generate-asks-prompt');
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });

    await selectStep(page, 'gallery');
    await clickStepButton(page, 'Open Gallery');
    await galleryFrame(page);
    await page.locator('.part.sidebar', { hasText: text('%viewsContainer.imageStudio%') }).waitFor();
    await shots.take(page, 'walkthrough-7-gallery-opened');
  });

  it('the model and watermark step opens the settings at imageStudio.model and at imageStudio.watermark', async function () {
    for (const [button, key] of [
      ['Choose the Model', 'imageStudio.model'],
      ['Watermark Setting', 'imageStudio.watermark'],
    ] as const) {
      await runFromPalette(page, `${text(packageJson.displayName)}: ${text('%command.openWalkthrough%')}`);
      await selectStep(page, 'modelAndWatermark');
      await clickStepButton(page, button);
      await page.locator(`.settings-editor [data-key="${key}"]`).waitFor();
      await shots.take(page, `walkthrough-8-settings-${key}`);
    }
  });
});
