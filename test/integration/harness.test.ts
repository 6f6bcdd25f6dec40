// The harness itself: the pieces every other integration test relies on do what they claim, in the
// real extension host — the fresh workspace, the simulated cloud with the extension's settings and
// environment pointed at it, and the screenshot handshake with the runner.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { TencentCloudClient } from '../../src/core/tencent/client';
import { StudioError } from '../../src/core/tencent/errors';
import { TEST_CREDENTIALS, useFakeCloud } from './support/cloud';
import { extensionLogFiles } from './support/logs';
import { canTakeScreenshots, takeScreenshot } from './support/screenshot';
import { exists, listFiles, readFileBytes, removeAll, workspaceRoot, writeFile } from './support/workspace';

/** What the runner gave this process, to check that useFakeCloud puts it back. */
const environmentAtStart = { id: process.env.TENCENTCLOUD_SECRET_ID, key: process.env.TENCENTCLOUD_SECRET_KEY };
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A query for a job that cannot exist: proves key, signature and routing without creating a job. */
async function queryMissingJob(endpoint: string, secretKey: string): Promise<StudioError> {
  const client = new TencentCloudClient({
    credentials: () => ({ secretId: process.env.TENCENTCLOUD_SECRET_ID ?? '', secretKey }),
    endpoint,
  });
  try {
    await client.call({ service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'harness-no-such-job' } });
    assert.fail('a query for a job that does not exist succeeded');
  } catch (error) {
    assert.ok(error instanceof StudioError, `not a StudioError: ${String(error)}`);
    return error;
  } finally {
    await client.close();
  }
}

describe('test harness', () => {
  describe('workspace', () => {
    it('is a real folder on disk with files read and written through vscode.workspace.fs', async () => {
      assert.equal(workspaceRoot().scheme, 'file');
      await writeFile('harness/a/b.txt', 'hello 你好');
      assert.deepEqual(await listFiles('harness/a'), ['b.txt']);
      assert.equal(new TextDecoder().decode(await readFileBytes('harness/a/b.txt')), 'hello 你好');
      assert.ok(fs.existsSync(vscode.Uri.joinPath(workspaceRoot(), 'harness/a/b.txt').fsPath));
      await removeAll('harness');
      assert.equal(await exists('harness'), false);
      assert.deepEqual(await listFiles('harness/a'), []);
    });
  });

  describe('useFakeCloud', () => {
    const fake = useFakeCloud({ jobSeconds: 0.2 });

    it('points imageStudio.endpoint (workspace settings) and TENCENTCLOUD_* at the simulator', () => {
      assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(vscode.workspace.getConfiguration('imageStudio').inspect('endpoint')?.workspaceValue, fake.url);
      assert.equal(process.env.TENCENTCLOUD_SECRET_ID, TEST_CREDENTIALS.secretId);
      assert.equal(process.env.TENCENTCLOUD_SECRET_KEY, TEST_CREDENTIALS.secretKey);
    });

    it('serves signed requests from inside the extension host, and rejects a wrong key', async () => {
      const accepted = await queryMissingJob(fake.url, process.env.TENCENTCLOUD_SECRET_KEY ?? '');
      assert.equal(accepted.code, 'InvalidParameter.InvalidParameter', accepted.message);
      assert.ok(accepted.requestId, 'the reply carries a RequestId');
      const rejected = await queryMissingJob(fake.url, 'not-the-key');
      assert.equal(rejected.kind, 'auth', `${rejected.code}: ${rejected.message}`);
      // Only the signed request reached the action; the simulator stops the other at the signature check.
      assert.equal(fake.cloud.stats().requests.QueryHunyuanImageJob, 1);
    });
  });

  describe('after useFakeCloud', () => {
    it('restored the settings and the environment', () => {
      assert.equal(vscode.workspace.getConfiguration('imageStudio').inspect('endpoint')?.workspaceValue, undefined);
      assert.equal(process.env.TENCENTCLOUD_SECRET_ID, environmentAtStart.id);
      assert.equal(process.env.TENCENTCLOUD_SECRET_KEY, environmentAtStart.key);
    });
  });

  describe('extension logs', () => {
    it('are looked for in the log folder of this very window', () => {
      const logs = process.env.STUDIO_TEST_LOGS_DIR ?? '';
      // The extension host's own log sits in the same session folder as our channel's file will.
      const hostLogs = fs.readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((rel) => /exthost\d*[\\/].*exthost\.log$/i.test(rel));
      assert.ok(hostLogs.length > 0, `no extension-host log under ${logs}`);
      assert.ok(extensionLogFiles().every((file) => file.startsWith(logs)));
    });
  });

  describe('takeScreenshot', () => {
    it('gets a PNG of the workbench from the runner', async function () {
      if (!canTakeScreenshots()) this.skip();
      const file = await takeScreenshot('harness-workbench');
      const bytes = fs.readFileSync(file);
      assert.deepEqual([...bytes.subarray(0, 8)], PNG_SIGNATURE, 'not a PNG');
      // IHDR: width and height of the 1280x800 viewport the runner opens.
      assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [1280, 800]);
    });
  });
});
