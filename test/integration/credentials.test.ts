// Credentials inside the real extension host: setCredentials stores the pair in VS Code's
// SecretStorage (proved by use: the simulated cloud accepts only that pair while the environment
// holds a wrong one), stored keys win over TENCENTCLOUD_*, the environment is the fallback,
// clearCredentials removes all three values, and no secret ever reaches a settings file, the
// workspace or the log. The input boxes cannot be typed into from a test, so the commands get
// their values as arguments (the interactive path shares the same store).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionReport } from '../../src/vscode/connection';
import { setEnvironmentCredentials, useFakeCloud } from './support/cloud';
import { extensionLogText } from './support/logs';
import { workspaceRoot } from './support/workspace';
import { waitFor } from './support/wait';

/** The only pair the simulated cloud of this suite accepts; nothing else in the run knows it. */
const STORED = { secretId: 'AKIDstoredPairOfTheCredentialsTest01', secretKey: 'StoredSecretKeyZ9y8x7w6v5u4t3s2r1q' };
/** A pair in the environment that the cloud rejects: if it were used, the check would say so. */
const ENVIRONMENT = { secretId: 'AKIDenvironmentPairThatIsNotValid002', secretKey: 'EnvSecretKeyThatTheCloudRejects99' };
const SESSION_TOKEN = 'sessionTokenOfTheCredentialsTest-+/=Q1w2E3r4T5y6U7i8O9p0';

async function checkConnection(): Promise<ConnectionReport> {
  const report = await vscode.commands.executeCommand<ConnectionReport>('imageStudio.checkConnection');
  assert.ok(report && Array.isArray(report.results), `checkConnection returned ${JSON.stringify(report)}`);
  return report;
}

function statusCodes(report: ConnectionReport): string[] {
  return report.results.map((result) => `${result.service} ${result.status} ${result.code ?? ''}`.trim());
}

const allOk = ['hunyuan ok InvalidParameter.InvalidParameter', 'aiart ok FailedOperation.JobNotExist', 'mps ok InvalidParameterValue.TaskId'];

function setCredentials(pair: { secretId: string; secretKey: string; sessionToken?: string }): Thenable<boolean> {
  return vscode.commands.executeCommand<boolean>('imageStudio.setCredentials', pair);
}

function clearCredentials(): Thenable<string | undefined> {
  return vscode.commands.executeCommand<string | undefined>('imageStudio.clearCredentials', { confirmed: true });
}

/** Every file under `dir` (skipping what cannot be read), for scanning for leaked secrets. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((rel) => path.join(dir, rel))
    .filter((file) => fs.statSync(file).isFile());
}

describe('credentials', () => {
  const fake = useFakeCloud({ credentials: 'none', ...STORED });
  let restoreEnvironment: (() => void) | undefined;

  afterEach(async () => {
    restoreEnvironment?.();
    restoreEnvironment = undefined;
    await clearCredentials();
  });

  it('none stored and none in the environment: every service says so, and nothing is sent', async () => {
    const report = await checkConnection();
    assert.deepEqual(statusCodes(report), ['hunyuan badCredentials Client.MissingCredentials', 'aiart badCredentials Client.MissingCredentials', 'mps badCredentials Client.MissingCredentials']);
    assert.match(report.results[0]!.message, /Set Credentials/);
    assert.deepEqual(fake.cloud.stats().requests, {}, 'no request without a key');
  });

  it('setCredentials stores the pair in SecretStorage, trimmed, and it wins over the environment', async () => {
    restoreEnvironment = setEnvironmentCredentials(ENVIRONMENT);
    assert.equal(statusCodes(await checkConnection())[0], 'hunyuan badCredentials AuthFailure.SecretIdNotFound', 'control: the environment pair is refused');
    // Pasted keys often carry spaces or a line break; the cloud would answer SecretIdNotFound.
    assert.equal(await setCredentials({ secretId: `  ${STORED.secretId} `, secretKey: `${STORED.secretKey}\n` }), true);
    const report = await checkConnection();
    assert.deepEqual(statusCodes(report), allOk);
    assert.deepEqual(report.credentials, { source: 'secretStorage', secretIdHint: `AKID…${STORED.secretId.slice(-4)}` });
    assert.deepEqual(fake.cloud.stats().submits, {});
  });

  it('clearCredentials removes them: the environment is used again, then nothing', async () => {
    await setCredentials(STORED);
    assert.deepEqual(statusCodes(await checkConnection()), allOk);
    restoreEnvironment = setEnvironmentCredentials(ENVIRONMENT);
    assert.equal(await clearCredentials(), 'environment', 'the environment still provides a pair');
    const report = await checkConnection();
    assert.equal(report.credentials?.source, 'environment');
    assert.equal(statusCodes(report)[0], 'hunyuan badCredentials AuthFailure.SecretIdNotFound');
    setEnvironmentCredentials(undefined);
    assert.equal(await clearCredentials(), undefined, 'no credentials left anywhere');
  });

  it('the environment variables are the fallback when nothing is stored', async () => {
    restoreEnvironment = setEnvironmentCredentials(STORED);
    const report = await checkConnection();
    assert.deepEqual(statusCodes(report), allOk);
    assert.equal(report.credentials?.source, 'environment');
  });

  describe('with temporary (STS) credentials', () => {
    const sts = useFakeCloud({ credentials: 'none', ...STORED, sessionToken: SESSION_TOKEN });

    it('the stored session token is sent; storing a pair without one removes the old token', async () => {
      await setCredentials({ ...STORED, sessionToken: SESSION_TOKEN });
      assert.deepEqual(statusCodes(await checkConnection()), allOk);
      await setCredentials(STORED);
      assert.equal(statusCodes(await checkConnection())[0], 'hunyuan badCredentials AuthFailure.TokenFailure', 'the old token must be gone');
      assert.deepEqual(sts.cloud.stats().submits, {});
    });

    it('TENCENTCLOUD_SESSION_TOKEN comes with the environment pair', async () => {
      restoreEnvironment = setEnvironmentCredentials({ ...STORED, sessionToken: SESSION_TOKEN });
      assert.deepEqual(statusCodes(await checkConnection()), allOk);
    });
  });

  it('no secret reaches a settings file, the workspace or the log', async () => {
    await setCredentials({ ...STORED, sessionToken: SESSION_TOKEN });
    const report = await checkConnection();
    // Positive control: the log file is the one the extension writes, and it has this check's answers.
    const log = await waitFor('this check in the log', () => {
      const text = extensionLogText();
      return report.results.every((result) => result.requestId && text.includes(result.requestId)) && text;
    });
    assert.match(log, /AKID…/, 'the log names the key by its hint');
    const logs = process.env.STUDIO_TEST_LOGS_DIR!;
    const userSettings = path.join(path.dirname(logs), 'User', 'settings.json');
    assert.ok(fs.existsSync(userSettings), `control: the user settings file exists at ${userSettings}`);
    const scanned = [userSettings, ...filesUnder(workspaceRoot().fsPath), ...filesUnder(logs)];
    assert.ok(scanned.some((file) => file.endsWith(path.join('.vscode', 'settings.json'))), 'control: the workspace settings file is scanned');
    for (const file of scanned) {
      const text = fs.readFileSync(file, 'utf8');
      for (const secret of [STORED.secretKey, SESSION_TOKEN, STORED.secretId]) {
        assert.ok(!text.includes(secret), `${file} contains a secret (${secret.slice(0, 6)}…)`);
      }
    }
    const configuration = vscode.workspace.getConfiguration('imageStudio');
    for (const name of ['secretId', 'secretKey', 'sessionToken']) assert.equal(configuration.get(name), undefined, `no imageStudio.${name} setting`);
  });
});
