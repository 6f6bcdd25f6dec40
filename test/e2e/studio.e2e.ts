// End to end, as a person uses the product: the packaged extension in a real VS Code (code-server)
// in Chromium, the simulated Tencent Cloud on loopback, a Markdown file, the mouse and the keyboard.
// The flows build on each other in one window, in order: the first run stores the credentials the
// later ones use, and the gallery flow looks for the image the second flow made.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { type FakeCloud, startFakeCloud, TEST_CREDENTIALS } from '../fake-cloud/index';
import { waitFor } from '../integration/support/wait';
import { Screenshots } from './support/screenshots';
import { StateRecorder, waitForCard } from './support/task-panel';
import { openDetails, openGalleryFromActivityBar, searchGallery, waitForCells } from './support/gallery';
import {
  answerDialog,
  answerQuickInput,
  contextMenu,
  dismissNotification,
  editorLineStarting,
  editorText,
  expandExplorerTo,
  explorerRow,
  openFromExplorer,
  selectLine,
  showActivity,
  waitForDialog,
  waitForNotification,
} from './support/ui';
import { closeWorkbench, startWorkbench, type Workbench } from './support/workbench';

const repo = path.resolve(__dirname, '../..');
const OUTPUT_FOLDER = 'assets/generated';
const GENERATE = 'Generate Image from Selection';

const FOX = 'A red fox in fresh snow at dawn, watercolour';
const LIGHTHOUSE = 'A lighthouse on a cliff under a starry sky';
const CAT = '一只戴着红围巾的橘猫 asleep on a windowsill';
const RAMEN = 'A bowl of ramen with rising steam, studio photo';
const NOTES = ['# Field notes', '', FOX, LIGHTHOUSE, CAT, RAMEN, ''].join('\n');

/** A Markdown link to an image of the output folder, as the extension inserts it under a selection. */
function linkPattern(prompt: string): RegExp {
  const escaped = prompt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`!\\[${escaped}\\]\\((${OUTPUT_FOLDER}/[^)]+\\.png)\\)`);
}

describe('AIGC Image Studio in the browser, as a user', function () {
  let cloud: FakeCloud;
  let workbench: Workbench;
  let page: Page;
  const shots = new Screenshots(path.join(repo, 'test-output/e2e'));
  /** What later flows need from earlier ones; a flow whose prerequisite failed is skipped, not failed again. */
  const made: { credentials?: boolean; lighthouseFile?: string; catFile?: string } = {};

  before(async function () {
    this.timeout(120_000);
    const vsix = process.env.STUDIO_E2E_VSIX ?? path.join(repo, 'aigc-image-studio.vsix');
    if (!fs.existsSync(vsix)) throw new Error(`no packaged extension at ${vsix}: run npm run package (npm run test:e2e does)`);
    // Jobs of a few seconds, so a person (and this test) sees each state of a task.
    cloud = await startFakeCloud({ jobSeconds: 3 });
    workbench = await startWorkbench({
      runtime: process.env.VSCODE_OFFLINE_DIR ?? path.join(repo, '.vscode-offline'),
      vsix,
      files: { 'notes.md': NOTES },
      userSettings: { 'imageStudio.endpoint': cloud.url },
    });
    page = workbench.page;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shots.takeFailure(page, this.currentTest.title);
  });

  after(async function () {
    this.timeout(30_000);
    const failed = this.test?.parent?.tests.some((test) => test.state === 'failed') ?? false;
    await closeWorkbench(workbench, failed);
    await cloud?.close();
  });

  it('first run without credentials: Set Credentials from the notification, and the same generation continues to Saved', async function () {
    await openFromExplorer(page, 'notes.md');
    const line = await selectLine(page, FOX);
    await contextMenu(page, line, GENERATE);

    const offer = await waitForNotification(page, 'No Tencent Cloud credentials are set');
    await shots.take(page, '1-1-no-credentials-notification');
    await offer.locator('.monaco-button', { hasText: 'Set Credentials' }).click();
    await answerQuickInput(page, 'Set Credentials (1/3)', TEST_CREDENTIALS.secretId);
    assert.equal(await page.locator('.quick-input-widget input.input').getAttribute('type'), 'text');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '(2/3)' }).waitFor();
    assert.equal(await page.locator('.quick-input-widget input.input').getAttribute('type'), 'password', 'the SecretKey is typed into a password box');
    await answerQuickInput(page, 'Set Credentials (2/3)', TEST_CREDENTIALS.secretKey);
    await answerQuickInput(page, 'Set Credentials (3/3)', '');
    await dismissNotification(page, "credentials saved in VS Code's secret storage");
    made.credentials = true;

    // No second command: the generation that asked for the credentials runs on by itself.
    const card = await waitForCard(page, FOX, 'Saved with its image', (c) => c.stateLabel === 'Saved' && c.imagesLoaded === 1);
    assert.equal(card.errorText, '');
    assert.equal(cloud.stats().submits.SubmitHunyuanImageJob, 1, 'one job: the refused first attempt sent nothing');
    await editorLineStarting(page, `![${FOX}]`).waitFor();
    await shots.take(page, '1-2-first-run-saved');

    // The keys are in SecretStorage only: not in the settings, the logs or the workspace.
    for (const dir of [path.join(workbench.tmp, 'user-data'), workbench.workspace]) {
      for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
        const full = path.join(dir, file);
        if (fs.statSync(full).isFile()) assert.ok(!fs.readFileSync(full).includes(TEST_CREDENTIALS.secretKey), `the SecretKey is in ${full}`);
      }
    }
  });

  it('with credentials: two selections go Queued, Submitting, Running, Saved; links under the selections, files in the explorer', async function () {
    if (!made.credentials) this.skip();
    // Slow replies keep Submitting on screen; the pool of one keeps the second task Queued meanwhile.
    cloud.setFaults(['latency=700']);
    const recorder = new StateRecorder(page);
    try {
      await contextMenu(page, await selectLine(page, LIGHTHOUSE), GENERATE);
      await contextMenu(page, await selectLine(page, CAT), GENERATE);
      await waitForCard(page, CAT, 'Queued', (c) => c.stateLabel === 'Queued');
      await waitForCard(page, LIGHTHOUSE, 'Running', (c) => c.stateLabel === 'Running');
      await shots.take(page, '2-1-running-and-queued');
      for (const prompt of [LIGHTHOUSE, CAT]) {
        await waitForCard(page, prompt, 'Saved with its image', (c) => c.stateLabel === 'Saved' && c.imagesLoaded === 1);
      }
    } finally {
      cloud.setFaults([]);
    }
    const seen = await recorder.stop();
    const order = (prompt: string, words: string[]): void => {
      const shown = seen.get(prompt) ?? [];
      const positions = words.map((word) => shown.indexOf(word));
      assert.ok(
        positions.every((at, i) => at >= 0 && (i === 0 || at > positions[i - 1]!)),
        `"${prompt}" showed ${shown.join(' > ')}; expected ${words.join(' > ')} in that order`,
      );
    };
    order(LIGHTHOUSE, ['Submitting', 'Running', 'Saved']);
    order(CAT, ['Queued', 'Submitting', 'Running', 'Saved']);

    // The links as the editor shows them, each under its own line; then saved with Ctrl+S, as on disk.
    await editorLineStarting(page, `![${CAT}]`).waitFor();
    await page.keyboard.press('Control+S');
    const notes = path.join(workbench.workspace, 'notes.md');
    const text = await waitFor('notes.md on disk to have both links', () => {
      const saved = fs.readFileSync(notes, 'utf8');
      return linkPattern(LIGHTHOUSE).test(saved) && linkPattern(CAT).test(saved) && saved;
    }, { timeoutMs: 10_000 });
    assert.ok((await editorText(page)).includes(`![${LIGHTHOUSE}](${OUTPUT_FOLDER}/`), 'the editor shows the link');
    const lines = text.split('\n');
    const files: string[] = [];
    for (const prompt of [LIGHTHOUSE, CAT]) {
      const under = lines[lines.indexOf(prompt) + 1] ?? '';
      const link = linkPattern(prompt).exec(under);
      assert.ok(link, `the line under "${prompt}" is its image link; it is "${under}"`);
      // Link targets are URL-encoded (a CJK file name is percent-encoded in the Markdown source).
      const file = decodeURI(link[1]!);
      assert.ok(fs.existsSync(path.join(workbench.workspace, file)), `${file} exists`);
      files.push(file);
    }
    [made.lighthouseFile, made.catFile] = files;

    // The new files in the explorer, found by opening its folders.
    for (const file of files) await expandExplorerTo(page, ['assets', 'generated'], path.posix.basename(file));
    await shots.take(page, '2-2-saved-links-and-explorer');
  });

  it('a moderation refusal: the panel shows Failed with the explanation and what to do next', async function () {
    if (!made.credentials) this.skip();
    cloud.setFaults(['moderation-text']);
    try {
      await contextMenu(page, await selectLine(page, RAMEN), GENERATE);
      const card = await waitForCard(page, RAMEN, 'Failed', (c) => c.stateLabel === 'Failed');
      assert.match(card.errorText, /Content review refused the prompt/);
      assert.match(card.errorText, /Rephrase the prompt/);
      assert.match(card.errorText, /OperationDenied\.TextIllegalDetected/);
      assert.equal(card.imagesLoaded, 0);
      await waitForNotification(page, 'Content review refused the prompt');
      await shots.take(page, '3-1-moderation-refusal');
      await dismissNotification(page, 'Content review refused the prompt');
    } finally {
      cloud.setFaults([]);
    }
    assert.equal(fs.readdirSync(path.join(workbench.workspace, OUTPUT_FOLDER)).filter((name) => name.startsWith('a-bowl-of-ramen')).length, 0);
  });

  it('the gallery: find the thumbnail, search by a word of its prompt, delete it; it leaves the grid and the explorer; a copy made outside appears', async function () {
    const file = made.lighthouseFile;
    if (!file) this.skip();
    const name = path.posix.basename(file);
    await openGalleryFromActivityBar(page);
    // Newest first: the cat, the lighthouse, the fox (the refused ramen made no file).
    const all = await waitForCells(page, 'the three images with their thumbnails', (cells) => cells.length === 3 && cells.every((cell) => cell.thumbnailLoaded));
    assert.deepEqual(all.map((cell) => cell.title), [CAT, LIGHTHOUSE, FOX]);
    await shots.take(page, '4-1-gallery');

    await searchGallery(page, '橘猫');
    await waitForCells(page, 'only the cat for 橘猫', (cells) => cells.length === 1 && cells[0]!.title === CAT);
    await searchGallery(page, 'lighthouse');
    await waitForCells(page, 'only the lighthouse for "lighthouse"', (cells) => cells.length === 1 && cells[0]!.title === LIGHTHOUSE && cells[0]!.thumbnailLoaded);
    await shots.take(page, '4-2-search-lighthouse');

    const gallery = await openDetails(page, LIGHTHOUSE);
    await shots.take(page, '4-3-details');
    await gallery.locator('section.detail button.action--danger', { hasText: 'Delete' }).click();
    const confirmation = await waitForDialog(page, `Delete "${name}"?`);
    await shots.take(page, '4-4-delete-confirmation');
    await answerDialog(confirmation, 'Move to Trash');
    // A server-side workspace may have no trash: the extension then says so and asks again.
    const onDisk = path.join(workbench.workspace, file);
    const outcome = await waitFor('the image to be deleted, or the question about deleting it permanently', async () => {
      if (!fs.existsSync(onDisk)) return 'deleted';
      return (await page.locator('.monaco-dialog-box', { hasText: 'permanently' }).count()) > 0 && 'ask';
    });
    if (outcome === 'ask') {
      await shots.take(page, '4-4b-no-trash-delete-permanently');
      await answerDialog(await waitForDialog(page, 'permanently'), 'Delete Permanently');
    }
    console.log(`      [e2e] deleted ${outcome === 'ask' ? 'permanently after the no-trash question' : 'to the trash'}`);
    await waitFor(`${file} to be gone from disk`, () => !fs.existsSync(onDisk));
    await waitForCells(page, 'no image for "lighthouse" any more', (cells) => cells.length === 0);
    await searchGallery(page, '');
    await waitForCells(page, 'the other two images', (cells) => cells.map((cell) => cell.title).join('|') === [CAT, FOX].join('|'));
    await shots.take(page, '4-5-deleted-from-gallery');

    // Another program adds a copy of an image to the folder: it appears without a refresh.
    const outputDir = path.join(workbench.workspace, OUTPUT_FOLDER);
    const fox = fs.readdirSync(outputDir).find((entry) => entry.startsWith('a-red-fox'))!;
    fs.copyFileSync(path.join(outputDir, fox), path.join(outputDir, 'copied-by-another-program.png'));
    await waitForCells(page, 'the copy added outside the extension', (cells) => cells.filter((cell) => cell.title === FOX).length === 2);

    await showActivity(page, 'Explorer');
    await expandExplorerTo(page, ['assets', 'generated'], path.posix.basename(made.catFile!));
    await explorerRow(page, name).waitFor({ state: 'detached' });
    await shots.take(page, '4-6-gone-from-explorer');
  });
});
