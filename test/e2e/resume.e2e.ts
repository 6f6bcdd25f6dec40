// Jobs that outlive their window, end to end: the packaged extension in a real VS Code (code-server)
// in Chromium, the simulated Tencent Cloud on loopback. A long job is started from a Markdown
// selection; then the window reloads (VS Code's own Reload Window: a new extension host), at once or
// only after the job's result URL has expired. The extension must pick the job up
// from its journal: save it exactly once, or say that its result expired, naming the job.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { type FakeCloud, startFakeCloud, TEST_CREDENTIALS } from '../fake-cloud/index';
import { Screenshots } from './support/screenshots';
import { taskCards, waitForCard } from './support/task-panel';
import { contextMenu, openFromExplorer, reloadWindow, selectLine } from './support/ui';
import { closeWorkbench, startWorkbench, type Workbench } from './support/workbench';

const repo = path.resolve(__dirname, '../..');
const OUTPUT_FOLDER = 'assets/generated';
const GENERATE = 'Generate Image from Selection';
const SUBMIT = 'SubmitHunyuanImageJob';
const QUERY = 'QueryHunyuanImageJob';

const KITE = 'A paper kite over a wheat field, late summer';
const HARBOUR = 'A quiet harbour at night with one lit window';

/** Screenshots share test-output/e2e with the other e2e files; the prefix keeps them apart. */
const shots = new Screenshots(path.join(repo, 'test-output/e2e'));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The images in the workspace's output folder (none when the folder does not exist). */
function outputImages(workspace: string): string[] {
  const folder = path.join(workspace, OUTPUT_FOLDER);
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => /\.(png|jpe?g|webp)$/.test(name)) : [];
}

/** A window whose credentials come from the TENCENTCLOUD_* variables, as on a CI machine. */
function openWindow(cloud: FakeCloud, files: Record<string, string>): Promise<Workbench> {
  const vsix = process.env.STUDIO_E2E_VSIX ?? path.join(repo, 'aigc-image-studio.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`no packaged extension at ${vsix}: run npm run package (npm run test:e2e does)`);
  return startWorkbench({
    runtime: process.env.VSCODE_OFFLINE_DIR ?? path.join(repo, '.vscode-offline'),
    vsix,
    files,
    userSettings: { 'imageStudio.endpoint': cloud.url },
    environment: { TENCENTCLOUD_SECRET_ID: TEST_CREDENTIALS.secretId, TENCENTCLOUD_SECRET_KEY: TEST_CREDENTIALS.secretKey },
  });
}

/** Opens notes.md, selects the line of `prompt`, generates from it and waits until the job runs on the cloud. */
async function startLongJob(page: Page, prompt: string): Promise<void> {
  await openFromExplorer(page, 'notes.md');
  await contextMenu(page, await selectLine(page, prompt), GENERATE);
  await waitForCard(page, prompt, 'Running', (card) => card.stateLabel === 'Running');
}

describe('Jobs that outlive their window', function () {
  let cloud: FakeCloud | undefined;
  let workbench: Workbench | undefined;

  afterEach(async function () {
    this.timeout(30_000);
    const failed = this.currentTest?.state === 'failed';
    if (failed) await shots.takeFailure(workbench?.page, this.currentTest!.title);
    await closeWorkbench(workbench, failed);
    await cloud?.close();
    workbench = undefined;
    cloud = undefined;
  });

  it('a window reload while a job runs: the panel shows the task again, it is saved once, and the cloud saw one submit', async function () {
    this.timeout(150_000);
    // A job of 15 s: it is still running on the cloud when the reloaded window shows it again
    // (a reload takes 5–8 s here).
    cloud = await startFakeCloud({ jobSeconds: 15 });
    workbench = await openWindow(cloud, { 'notes.md': ['# Resume', '', KITE, ''].join('\n') });
    const { page } = workbench;
    await startLongJob(page, KITE);
    await shots.take(page, 'resume-1-1-running-before-reload');
    assert.equal(cloud.stats().submits[SUBMIT], 1);

    // VS Code's own reload: the window goes, and with it this window's extension host.
    await reloadWindow(page);
    const resumed = await waitForCard(page, KITE, 'again after the reload', (card) => ['Running', 'Downloading', 'Saved'].includes(card.stateLabel));
    console.log(`      [e2e] after the reload the panel shows the task as ${resumed.stateLabel}`);
    await shots.take(page, 'resume-1-2-after-reload');

    const saved = await waitForCard(page, KITE, 'Saved with its image', (card) => card.stateLabel === 'Saved' && card.imagesLoaded === 1);
    assert.equal(saved.errorText, '');
    await shots.take(page, 'resume-1-3-saved-after-reload');
    // Any second save (say, by the old extension host) would land within moments of the first.
    await sleep(3_000);
    const images = outputImages(workbench.workspace);
    assert.equal(images.length, 1, `exactly one image saved; found ${images.join(', ')}`);
    assert.match(images[0]!, /^a-paper-kite/);
    assert.equal((await taskCards(page)).filter((card) => card.prompt === KITE).length, 1, 'one card for the task');
    assert.equal(cloud.stats().submits[SUBMIT], 1, 'one submit: the job was resumed, not submitted again');
  });

  // The window that comes back may not have the user's settings yet (about one start in three here,
  // the endpoint setting arrives late); the journal says where the job was submitted, and it is
  // queried there.
  it('a result that expired while the window was closed: reported as expired with its job id, not retried, nothing written', async function () {
    this.timeout(150_000);
    // Jobs of 4 s whose result URLs live 2 s: by the time VS Code is back, the URL is dead.
    const jobSeconds = 4;
    const ttlSeconds = 2;
    cloud = await startFakeCloud({ jobSeconds, resultUrlTtlSeconds: ttlSeconds });
    workbench = await openWindow(cloud, { 'notes.md': ['# Resume', '', HARBOUR, ''].join('\n') });
    await startLongJob(workbench.page, HARBOUR);
    const runningSince = Date.now();
    await shots.take(workbench.page, 'resume-2-1-running-before-reload');

    const current = cloud;
    const { page } = workbench;
    await reloadWindow(page, async () => {
      // No window and no extension host: the job finishes on the cloud, and its result URL expires.
      await sleep(Math.max(0, runningSince + (jobSeconds + ttlSeconds + 2) * 1000 - Date.now()));
      assert.equal(current.stats().submits[SUBMIT], 1);
    });
    const card = await waitForCard(page, HARBOUR, 'Failed', (c) => c.stateLabel === 'Failed');
    await shots.take(page, 'resume-2-2-expired-after-reload');
    const named = /job (\S+) finished/i.exec(card.errorText);
    assert.ok(named, `the explanation names the job; it is "${card.errorText}"`);
    assert.match(card.errorText, /Client\.ResultExpired/);
    assert.match(card.errorText, /Generate the image again/);
    assert.ok(card.errorText.includes(named[1]!.replace(/[,.]$/, '')), 'the job id is listed');
    assert.match(card.errorText, /download links expired/, 'says the result expired, not a generic failure');

    // Not retried: no new submit, and the polling has stopped.
    const requests = cloud.stats().requests[QUERY] ?? 0;
    await sleep(3_000);
    assert.equal(cloud.stats().requests[QUERY] ?? 0, requests, 'no polling after the task failed');
    assert.equal(cloud.stats().submits[SUBMIT], 1, 'no second submit');
    assert.deepEqual(outputImages(workbench.workspace), [], 'no image written');
    const leftovers = fs.existsSync(path.join(workbench.workspace, OUTPUT_FOLDER)) ? fs.readdirSync(path.join(workbench.workspace, OUTPUT_FOLDER)) : [];
    assert.deepEqual(leftovers, [], 'nothing half-written in the output folder');
  });
});
