// imageStudio.checkConnection inside the real extension host, against the simulated cloud on
// loopback (real TC3 checks): it tells a working key, a wrong key, a missing CAM policy, a service
// that is not activated and an unreachable endpoint apart, names the endpoint and region it used,
// logs the RequestIds, and never creates a (billed) job.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import type { ConnectionReport } from '../../src/vscode/connection';
import { setEnvironmentCredentials, TEST_CREDENTIALS, useFakeCloud } from './support/cloud';
import { extensionLogText } from './support/logs';
import { updateWorkspaceSettings } from './support/settings';
import { waitFor } from './support/wait';

async function checkConnection(): Promise<ConnectionReport> {
  const report = await vscode.commands.executeCommand<ConnectionReport>('imageStudio.checkConnection');
  assert.ok(report && Array.isArray(report.results), `checkConnection returned ${JSON.stringify(report)}`);
  return report;
}

/** service -> status (and code), in a stable order, for one assert per report. */
function statuses(report: ConnectionReport): Record<string, string> {
  return Object.fromEntries(report.results.map((result) => [result.service, `${result.status} ${result.code ?? ''}`.trim()]));
}

/** A loopback port that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('checkConnection', () => {
  const fake = useFakeCloud();

  afterEach(() => fake.cloud.setFaults([]));

  it('a good key: OK for hunyuan, aiart and MPS, with the endpoint and region used, and no job created', async () => {
    const report = await checkConnection();
    assert.deepEqual(statuses(report), {
      hunyuan: 'ok InvalidParameter.InvalidParameter',
      aiart: 'ok FailedOperation.JobNotExist',
      mps: 'ok InvalidParameterValue.TaskId',
    });
    assert.equal(report.endpoint, fake.url);
    assert.equal(report.region, 'ap-guangzhou');
    const stats = fake.cloud.stats();
    assert.deepEqual(stats.submits, {}, 'a connection check must not create a billed job');
    // Positive control: the cloud did receive the three read-only queries, each once.
    assert.deepEqual(stats.requests, { QueryHunyuanImageJob: 1, QueryTextToImageJob: 1, DescribeAigcImageTask: 1 });
    for (const result of report.results) assert.match(result.requestId ?? '', /^[0-9a-f-]{36}$/, `${result.service} RequestId`);
  });

  it('logs each answer with its RequestId', async () => {
    const report = await checkConnection();
    const ids = report.results.map((result) => result.requestId ?? 'missing');
    const log = await waitFor('the RequestIds in the log', () => {
      const text = extensionLogText();
      return ids.every((id) => text.includes(id)) && text;
    });
    assert.match(log, new RegExp(`Connection check: endpoint ${fake.url.replace(/[.]/g, '\\.')}, region ap-guangzhou`));
  });

  it('reports the region setting it used', async () => {
    const restore = await updateWorkspaceSettings({ region: 'ap-shanghai' });
    try {
      const report = await waitFor('the region setting to reach the extension', async () => {
        const next = await checkConnection();
        return next.region === 'ap-shanghai' && next;
      });
      assert.equal(statuses(report).aiart, 'ok FailedOperation.JobNotExist', 'aiart serves ap-shanghai');
    } finally {
      await restore();
    }
  });

  it('a wrong SecretKey or an unknown SecretId: credentials rejected, with the cloud\'s code', async () => {
    const restore = setEnvironmentCredentials({ secretId: TEST_CREDENTIALS.secretId, secretKey: 'WrongKey0123456789abcdefWrongKey' });
    try {
      const report = await checkConnection();
      assert.deepEqual(statuses(report), {
        hunyuan: 'badCredentials AuthFailure.SignatureFailure',
        aiart: 'badCredentials AuthFailure.SignatureFailure',
        mps: 'badCredentials AuthFailure.SignatureFailure',
      });
      setEnvironmentCredentials({ secretId: 'AKIDunknownKeyIdForTheCheck000000001', secretKey: TEST_CREDENTIALS.secretKey });
      assert.equal(statuses(await checkConnection()).hunyuan, 'badCredentials AuthFailure.SecretIdNotFound');
    } finally {
      restore();
    }
    assert.deepEqual(fake.cloud.stats().submits, {});
  });

  it('a sub-account without the CAM policy: no permission, for the service concerned only', async () => {
    fake.cloud.setFaults(['unauthorized']);
    assert.deepEqual(statuses(await checkConnection()), {
      hunyuan: 'noPermission AuthFailure.UnauthorizedOperation',
      aiart: 'noPermission AuthFailure.UnauthorizedOperation',
      mps: 'noPermission AuthFailure.UnauthorizedOperation',
    });
    fake.cloud.setFaults(['unauthorized=mps']);
    const report = await checkConnection();
    assert.deepEqual(statuses(report), {
      hunyuan: 'ok InvalidParameter.InvalidParameter',
      aiart: 'ok FailedOperation.JobNotExist',
      mps: 'noPermission AuthFailure.UnauthorizedOperation',
    });
    assert.match(report.results[2]!.message, /CAM/, 'the message says what to do');
  });

  it('a service that is not activated: each service\'s own code is recognised', async () => {
    fake.cloud.setFaults(['not-activated']);
    assert.deepEqual(statuses(await checkConnection()), {
      hunyuan: 'notActivated FailedOperation.ServiceNotActivated',
      aiart: 'notActivated ResourceUnavailable.NotExist',
      mps: 'notActivated FailedOperation.InvalidMpsUser',
    });
    fake.cloud.setFaults(['not-activated=aiart']);
    assert.deepEqual(statuses(await checkConnection()), {
      hunyuan: 'ok InvalidParameter.InvalidParameter',
      aiart: 'notActivated ResourceUnavailable.NotExist',
      mps: 'ok InvalidParameterValue.TaskId',
    });
    assert.deepEqual(fake.cloud.stats().submits, {});
  });

  it('an endpoint where nothing listens: unreachable, naming that endpoint', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const restore = await updateWorkspaceSettings({ endpoint });
    try {
      const report = await waitFor('the endpoint setting to reach the extension', async () => {
        const next = await checkConnection();
        return next.endpoint === endpoint && next;
      });
      assert.deepEqual(statuses(report), {
        hunyuan: 'unreachable Client.NetworkError',
        aiart: 'unreachable Client.NetworkError',
        mps: 'unreachable Client.NetworkError',
      });
    } finally {
      await restore();
    }
  });
});
