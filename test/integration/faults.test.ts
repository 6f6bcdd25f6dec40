// The fault matrix (issue 5): each row runs a real generation through the extension's command
// against the simulated cloud with one fault switched on, and checks what the user ends up with —
// the task's final state and code, the sentence they were shown (the log keeps it word for word),
// what the cloud saw (no blind resubmit), and that nothing half-written is left in the workspace
// or in the extension's scratch folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FileImageSaver } from '../../src/core/images/saver';
import { TencentCloudClient } from '../../src/core/tencent/client';
import type { GenerateOutcome } from '../../src/vscode/commands/generation';
import type { TaskSummary } from '../../src/vscode/studio';
import { WorkspaceImageSaver, workspaceFolderRef } from '../../src/vscode/workspace-saver';
import { TEST_CREDENTIALS, useFakeCloud } from './support/cloud';
import { FileSystemUnavailable, fullFolder, readOnlyFolder, type PreparedFolder } from './support/filesystems';
import { newWorkspaceEntries, scratchLeftovers, workspaceEntries } from './support/leftovers';
import { updateWorkspaceSettings } from './support/settings';
import { logLinesOf, toldUser } from './support/told-user';
import { waitFor } from './support/wait';
import { closeAllEditors, listFiles, removeAll, workspaceRoot, writeFile } from './support/workspace';

const OUTPUT = 'assets/generated';
const SUBMIT = 'SubmitHunyuanImageJob';
const QUERY = 'QueryHunyuanImageJob';

function generate(prompt: string): Thenable<GenerateOutcome> {
  return vscode.commands.executeCommand<GenerateOutcome>('imageStudio.generate', prompt);
}

/** The output folder and its parents: the only new entries a task may leave besides its images. */
function outputFolderChain(folder: string): string[] {
  const parts = folder.split('/');
  return parts.map((_, i) => `${parts.slice(0, i + 1).join('/')}/`);
}

/**
 * Nothing half-written: the new workspace entries are at most the output folder (and its parents)
 * and the `saved` files; no `.part` file anywhere; the scratch folder is empty again.
 */
function assertNothingHalfWritten(before: readonly string[], saved: readonly string[] = [], folder = OUTPUT): void {
  const appeared = newWorkspaceEntries(before);
  assert.deepEqual(appeared.filter((entry) => entry.includes('.part')), [], 'no temporary .part file is left');
  const allowed = new Set([...outputFolderChain(folder), ...saved]);
  assert.deepEqual(appeared.filter((entry) => !allowed.has(entry)), [], `only the output folder and the saved images appeared: ${JSON.stringify(appeared)}`);
  for (const file of saved) assert.ok(appeared.includes(file), `${file} was saved`);
  assert.deepEqual(scratchLeftovers(), [], 'the scratch folder holds no download');
}

function count(record: Record<string, number>, key: string): number {
  return record[key] ?? 0;
}

describe('fault matrix: one generation per fault', () => {
  // Room in the cloud's pool for the jobs earlier rows left running (a job the client gave up on
  // still runs there), so each row starts with the cloud ready to create its job.
  const fake = useFakeCloud({ jobSeconds: 0.5, concurrency: { 'hunyuan-image-job': 5 } });
  let before: string[];
  let submitsBefore: number;
  let requestsBefore: Record<string, number>;
  let limitErrorsBefore: number;

  beforeEach(async () => {
    await closeAllEditors();
    await removeAll('assets');
    fake.cloud.setFaults([]);
    before = workspaceEntries();
    const stats = fake.cloud.stats();
    submitsBefore = count(stats.submits, SUBMIT);
    requestsBefore = stats.requests;
    limitErrorsBefore = stats.limitErrors;
  });
  afterEach(() => fake.cloud.setFaults([]));

  const submits = (): number => count(fake.cloud.stats().submits, SUBMIT) - submitsBefore;
  const requests = (action: string): number => count(fake.cloud.stats().requests, action) - count(requestsBefore, action);

  it('latency past the timeout: fails with Client.Timeout, says the job may exist and is billed, and does not resend', async function () {
    this.timeout(60_000);
    const restore = await updateWorkspaceSettings({ requestTimeoutSeconds: 5 });
    try {
      fake.cloud.setFaults(['latency=6500']);
      const outcome = await generate('a lighthouse that answers slowly');
      assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
      assert.equal(outcome.errorCode, 'Client.Timeout');
      const told = await toldUser(outcome.taskId);
      assert.match(told, /did not answer within 5 s/);
      assert.match(told, /may have been created and will be billed/);
      assert.match(told, /not resent automatically/);
      assert.equal(submits(), 1, 'the cloud created exactly one job');
      assert.equal(requests(SUBMIT), 1, 'the submit was sent once');
      assertNothingHalfWritten(before);
    } finally {
      await restore();
    }
  });

  it('HTTP 5xx on submit: fails with the status, is not resent, and does not promise an automatic retry', async () => {
    fake.cloud.setFaults(['5xx']);
    const outcome = await generate('a harbour behind a broken gateway');
    assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.errorCode, 'Client.HttpStatus502');
    const told = await toldUser(outcome.taskId);
    assert.match(told, /had a server error\. \(HTTP 502\)/);
    assert.match(told, /may have been created and will be billed/);
    assert.doesNotMatch(told, /retried automatically/, 'a submit is never retried, so the message must not say it is');
    assert.deepEqual(logLinesOf(outcome.taskId).filter((line) => / attempt \d+ failed/.test(line)), [], 'no retry of the submit');
    assert.equal(submits(), 0, 'the gateway answered before the cloud made a job');
    assertNothingHalfWritten(before);
  });

  it('malformed JSON: fails with Client.MalformedReply after exactly one submit, and says the job may be billed', async () => {
    fake.cloud.setFaults(['malformed-json']);
    const outcome = await generate('a reply cut in half');
    assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.errorCode, 'Client.MalformedReply');
    const told = await toldUser(outcome.taskId);
    assert.match(told, /could not be read/);
    assert.match(told, /may have been created and will be billed/);
    assert.equal(submits(), 1);
    assert.equal(requests(SUBMIT), 1);
    assertNothingHalfWritten(before);
  });

  it('connection reset during submit: no blind resubmit (one submit counted), and the user is told the job may be billed', async () => {
    fake.cloud.setFaults(['reset=submit']);
    const outcome = await generate('a lighthouse at the end of a dropped line');
    assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.errorCode, 'Client.NetworkError');
    const told = await toldUser(outcome.taskId);
    assert.match(told, /connection to Tencent Cloud broke after the request was sent/);
    assert.match(told, /may have been created and will be billed/);
    assert.match(told, /not resent automatically/);
    assert.equal(submits(), 1, 'the cloud created exactly one (billed) job');
    assert.equal(requests(SUBMIT), 1, 'and received exactly one submit');
    assertNothingHalfWritten(before);
  });

  it('connection reset during query: polling continues and the image is saved', async () => {
    fake.cloud.setFaults(['reset=query', 'reset-times=2']);
    const outcome = await generate('a kite that survives two dropped queries');
    assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
    assert.equal(outcome.files.length, 1);
    assert.equal(submits(), 1);
    assert.ok(requests(QUERY) >= 3, `two queries were dropped and at least one answered (${requests(QUERY)})`);
    const retries = logLinesOf(outcome.taskId).filter((line) => line.includes(`${QUERY} attempt`));
    assert.equal(retries.length, 2, `both dropped queries were retried: ${retries.join(' | ')}`);
    assertNothingHalfWritten(before, [outcome.files[0]!]);
  });

  it('a rate-limit storm: backs off, then succeeds, with no limit error shown', async () => {
    fake.cloud.setFaults(['rate-limit-storm=3']);
    const outcome = await generate('a calm sea after the storm');
    assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
    assert.equal(outcome.errorCode, undefined);
    assert.equal(fake.cloud.stats().limitErrors - limitErrorsBefore, 3, 'the cloud refused three times');
    assert.equal(submits(), 1, 'one job in the end');
    const lines = logLinesOf(outcome.taskId);
    assert.equal(lines.filter((line) => /SubmitHunyuanImageJob attempt \d failed \(RequestLimitExceeded\); retrying in \d+ ms/.test(line)).length, 3);
    assert.deepEqual(lines.filter((line) => line.includes('shown to the user')), [], 'nothing was shown');
    assertNothingHalfWritten(before, [outcome.files[0]!]);
  });

  it('job failure with a JobErrorCode: fails with that code, once, and says to generate again', async () => {
    fake.cloud.setFaults(['job-failure']);
    const outcome = await generate('an engine that gives up');
    assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.errorCode, 'FailedOperation.EngineServerError');
    const told = await toldUser(outcome.taskId);
    assert.match(told, /image engine had an internal error/);
    assert.match(told, /generate again/);
    assert.doesNotMatch(told, /retried automatically/, 'a failed job is not resubmitted, so the message must not say it is');
    assert.match(told, /JobId \S+/, 'the job id for support');
    assert.equal(submits(), 1);
    assertNothingHalfWritten(before);
  });

  it('truncated download: retried, then fails with Client.DownloadTruncated, and no partial file remains', async () => {
    fake.cloud.setFaults(['truncated-download']);
    const outcome = await generate('half a picture');
    assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.errorCode, 'Client.DownloadTruncated');
    const told = await toldUser(outcome.taskId);
    assert.match(told, /did not arrive completely \(\d+ of \d+ bytes arrived\)/);
    assert.equal(logLinesOf(outcome.taskId).filter((line) => line.includes('download attempt')).length, 2, 'three downloads in all');
    assert.equal(submits(), 1);
    assertNothingHalfWritten(before);
  });

  it('oversized download: stopped at the 30 MB cap with Client.DownloadTooLarge, nothing kept', async () => {
    fake.cloud.setFaults(['oversized-download']);
    const outcome = await generate('a picture that never ends');
    assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.errorCode, 'Client.DownloadTooLarge');
    assert.match(await toldUser(outcome.taskId), /larger than the 30 MB limit, so it was not saved/);
    assertNothingHalfWritten(before);
  });

  it('wrong content type (an HTML page): refused as Client.NotAnImage, pointing at a proxy or captive portal', async () => {
    fake.cloud.setFaults(['wrong-content-type']);
    const outcome = await generate('a sign-in page instead of a picture');
    assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.errorCode, 'Client.NotAnImage');
    const told = await toldUser(outcome.taskId);
    assert.match(told, /not a PNG, JPEG, WebP, BMP or TIFF image \(an HTML or XML page\)/);
    assert.match(told, /proxy or captive portal/);
    assertNothingHalfWritten(before);
  });

  it('non-image bytes labelled image/png: refused by their magic bytes as Client.NotAnImage', async () => {
    fake.cloud.setFaults(['non-image-download']);
    const outcome = await generate('noise with an image label');
    assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.errorCode, 'Client.NotAnImage');
    assert.match(await toldUser(outcome.taskId), /\(unknown binary data\)/);
    assertNothingHalfWritten(before);
  });

  describe('the output folder on a file system that refuses the write', () => {
    let prepared: PreparedFolder | undefined;
    let restoreSettings: (() => Promise<void>) | undefined;

    afterEach(async () => {
      await restoreSettings?.();
      restoreSettings = undefined;
      await prepared?.restore();
      prepared = undefined;
    });

    async function prepare(this: Mocha.Context, folder: string, make: (dir: string) => Promise<PreparedFolder>): Promise<void> {
      try {
        prepared = await make(path.join(workspaceRoot().fsPath, folder));
      } catch (error) {
        if (!(error instanceof FileSystemUnavailable)) throw error;
        console.log(`      skipped: ${error.message}`);
        this.skip();
      }
      console.log(`      (${prepared!.method})`);
      restoreSettings = await updateWorkspaceSettings({ outputFolder: folder });
    }

    it('disk full: fails with Client.DiskFull naming the folder, and leaves no partial file', async function () {
      await prepare.call(this, 'full-disk', (dir) => fullFolder(dir));
      const inside = await listFiles('full-disk');
      const outcome = await generate('a picture with nowhere to go');
      assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
      assert.equal(outcome.errorCode, 'Client.DiskFull');
      const told = await toldUser(outcome.taskId);
      assert.match(told, /The disk holding \S*full-disk is full, so the image was not saved/);
      assert.match(told, /Free some disk space, or choose another output folder/);
      assert.deepEqual(await listFiles('full-disk'), inside, 'only the ballast that filled the disk');
      assert.deepEqual(scratchLeftovers(), []);
    });

    it('a read-only output folder: fails with Client.ReadOnlyFolder, and writes nothing', async function () {
      await prepare.call(this, 'read-only', readOnlyFolder);
      const outcome = await generate('a picture for a locked folder');
      assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
      assert.equal(outcome.errorCode, 'Client.ReadOnlyFolder');
      const told = await toldUser(outcome.taskId);
      assert.match(told, /The output folder \S*read-only cannot be written to/);
      assert.deepEqual(await listFiles('read-only'), []);
      assert.deepEqual(scratchLeftovers(), []);
    });
  });
});

describe('fault matrix: the folders change while a task runs', () => {
  const fake = useFakeCloud({ jobSeconds: 3 });

  beforeEach(async () => {
    await closeAllEditors();
    await removeAll('assets');
    fake.cloud.setFaults([]);
  });

  /** Waits until the newest task with `prompt` is running in the cloud. */
  async function whenRunning(prompt: string): Promise<void> {
    await waitFor(`the task "${prompt}" to be running`, async () => {
      const tasks = await vscode.commands.executeCommand<TaskSummary[]>('imageStudio.showTasks');
      return tasks.find((task) => task.prompt === prompt)?.state === 'running';
    });
  }

  it('the output folder deleted mid-task: it is recreated and the image saved there', async () => {
    await writeFile(`${OUTPUT}/earlier-note.txt`, 'an earlier file\n');
    const before = workspaceEntries();
    const prompt = 'a picture whose folder vanished';
    const pending = generate(prompt);
    await whenRunning(prompt);
    await removeAll('assets');
    assert.equal(fs.existsSync(path.join(workspaceRoot().fsPath, 'assets')), false, 'the folder is gone while the job runs');

    const outcome = await pending;
    assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
    assert.equal(outcome.files.length, 1);
    assert.deepEqual(await listFiles(OUTPUT), [outcome.files[0]!.slice(OUTPUT.length + 1)], 'the recreated folder holds just the new image');
    const appeared = newWorkspaceEntries(before);
    assert.deepEqual(appeared, [outcome.files[0]!]);
    assert.deepEqual(scratchLeftovers(), []);
  });

  // VS Code refuses to turn the tests' single-folder window into a multi-root workspace ("Entering
  // a new workspace is not possible in tests"), and removing its only folder reloads the window;
  // so a folder cannot really be closed under this runner (test/e2e/workspace-folder.e2e.ts closes
  // one in the browser, both without and with the window reload). The closest real condition here:
  // the saver the extension uses, given a task's workspace folder that is not open when the image
  // arrives (as after vscode.workspace.updateWorkspaceFolders removed it, or in the extension host
  // that resumed the job after the first folder was removed), with a real download from the cloud.
  it('the workspace folder closed mid-task: the image is not written into it, and the task fails saying so', async function () {
    const client = new TencentCloudClient({ credentials: () => TEST_CREDENTIALS, endpoint: fake.url });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-closed-folder-'));
    try {
      const reply = await client.call({ service: 'hunyuan', action: 'TextToImageLite', params: { Prompt: 'closed', RspImgType: 'url' } });
      const image = { kind: 'url' as const, url: String(reply.response.ResultImage) };
      const saver = new WorkspaceImageSaver({ temporaryRoot: path.join(scratch, 'tmp'), fileSaver: () => new FileImageSaver() });
      const record = { prompt: 'closed', model: 'hunyuan-text-to-image-lite', size: '768:768', requestId: reply.requestId, time: new Date().toISOString() };

      // The folder the task was started in, now closed: a real folder on disk, no longer in the workspace.
      const closedFolder = vscode.Uri.file(path.join(scratch, 'closed-project'));
      const directory = path.join(closedFolder.fsPath, 'assets', 'generated');
      assert.equal(vscode.workspace.getWorkspaceFolder(closedFolder), undefined);
      const workspaceFolder = { uri: closedFolder.toString(), name: 'closed-project' };
      await assert.rejects(saver.save({ image, directory, workspaceFolder, prompt: 'closed', record }), (error: { code?: string; explanation?: { en: string } }) => {
        assert.equal(error.code, 'Client.WorkspaceFolderClosed');
        assert.match(error.explanation!.en, /workspace folder "closed-project" was closed while the task was running, so the image was not saved into it/);
        return true;
      });
      assert.equal(fs.existsSync(closedFolder.fsPath), false, 'nothing was written where the closed folder was');
      const temporary = path.join(scratch, 'tmp');
      assert.deepEqual(fs.existsSync(temporary) ? fs.readdirSync(temporary) : [], [], 'no download left in the scratch folder');

      // The same saver with the task's folder open saves as usual.
      const open = vscode.workspace.workspaceFolders![0]!;
      const inside = path.join(open.uri.fsPath, 'assets', 'generated');
      const saved = await saver.save({ image, directory: inside, workspaceFolder: workspaceFolderRef(open), prompt: 'open', record });
      assert.equal(path.dirname(saved.path), inside);
    } finally {
      await client.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
