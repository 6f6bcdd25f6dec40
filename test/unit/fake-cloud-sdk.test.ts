// Proof that the simulated cloud speaks the real protocol: Tencent's own SDK clients drive it
// through submit, query until done and download, pointed at loopback as tencent-api.md §1.7 says.
import * as assert from 'node:assert/strict';
import { Agent, get } from 'node:http';
import type { LookupFunction } from 'node:net';
import { aiart } from 'tencentcloud-sdk-nodejs/tencentcloud/services/aiart';
import { hunyuan } from 'tencentcloud-sdk-nodejs/tencentcloud/services/hunyuan';
import { mps } from 'tencentcloud-sdk-nodejs/tencentcloud/services/mps';
import { startFakeCloud, TEST_CREDENTIALS, type FakeCloud } from '../fake-cloud/index';

/** Every name resolves to loopback, so `<service>.tencentcloudapi.com:PORT` reaches the fake cloud. */
const toLoopback = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

function clientConfig(cloud: FakeCloud, service: string, agent: Agent, secretKey = TEST_CREDENTIALS.secretKey) {
  return {
    credential: { secretId: TEST_CREDENTIALS.secretId, secretKey },
    region: service === 'mps' ? undefined : 'ap-guangzhou',
    profile: { httpProfile: { endpoint: `${service}.tencentcloudapi.com:${cloud.port}`, protocol: 'http://', agent, reqTimeout: 10 } },
  };
}

function fetchBytes(url: string): Promise<{ contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ contentType: res.headers['content-type'] ?? '', body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

function pngSize(bytes: Buffer): [number, number] {
  assert.equal(bytes.toString('latin1', 1, 4), 'PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

async function until<T>(poll: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await poll();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}

describe('fake cloud with the official SDK', function () {
  let cloud: FakeCloud;
  let agent: Agent;

  before(async () => {
    cloud = await startFakeCloud({ jobSeconds: 0.3 });
    agent = new Agent({ keepAlive: true, lookup: toLoopback });
  });

  after(async () => {
    agent.destroy();
    await cloud.close();
  });

  it('hunyuan SubmitHunyuanImageJob -> QueryHunyuanImageJob -> PNG download', async () => {
    const client = new hunyuan.v20230901.Client(clientConfig(cloud, 'hunyuan', agent));
    const { JobId } = await client.SubmitHunyuanImageJob({ Prompt: '雨后的竹林', Resolution: '1280:768', LogoAdd: 0 });
    assert.ok(JobId);
    const done = await until(() => client.QueryHunyuanImageJob({ JobId }), (r) => r.JobStatusCode === '5' || r.JobStatusCode === '4');
    assert.equal(done.JobStatusCode, '5', done.JobErrorMsg);
    const image = await fetchBytes(done.ResultImage![0]!);
    assert.equal(image.contentType, 'image/png');
    assert.deepEqual(pngSize(image.body), [1280, 768]);
  });

  it('aiart SubmitTextToImageJob -> QueryTextToImageJob -> PNG download', async () => {
    const client = new aiart.v20221229.Client(clientConfig(cloud, 'aiart', agent));
    const { JobId } = await client.SubmitTextToImageJob({ Prompt: 'a lighthouse at dawn', Resolution: '768:1024', Revise: 0, Seed: 42 });
    const done = await until(() => client.QueryTextToImageJob({ JobId: JobId! }), (r) => r.JobStatusCode === '5' || r.JobStatusCode === '4');
    assert.equal(done.JobStatusCode, '5', done.JobErrorMsg);
    assert.deepEqual(done.RevisedPrompt, ['a lighthouse at dawn']);
    assert.deepEqual(pngSize((await fetchBytes(done.ResultImage![0]!)).body), [768, 1024]);
  });

  it('mps CreateAigcImageTask -> DescribeAigcImageTask -> JPEG download (no region header)', async () => {
    const client = new mps.v20190612.Client(clientConfig(cloud, 'mps', agent));
    const { TaskId } = await client.CreateAigcImageTask({ ModelName: 'Kling', ModelVersion: '2.1', Prompt: 'snowy village', ExtraParameters: { AspectRatio: '16:9', Resolution: '720P' } });
    const done = await until(() => client.DescribeAigcImageTask({ TaskId: TaskId! }), (r) => r.Status === 'DONE' || r.Status === 'FAIL');
    assert.equal(done.Status, 'DONE', done.Message);
    const image = await fetchBytes(done.ImageUrls![0]!);
    assert.equal(image.contentType, 'image/jpeg');
    assert.deepEqual([...image.body.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  });

  it('a sync action: aiart TextToImageRapid returns base64 PNG and the seed used', async () => {
    const client = new aiart.v20221229.Client(clientConfig(cloud, 'aiart', agent));
    const reply = await client.TextToImageRapid({ Prompt: '山水画', Resolution: '1024:768', Seed: 7, Style: '3' });
    assert.equal(reply.Seed, 7);
    assert.deepEqual(pngSize(Buffer.from(reply.ResultImage!, 'base64')), [1024, 768]);
  });

  it('a wrong key rejects with AuthFailure.SignatureFailure and a RequestId', async () => {
    const client = new hunyuan.v20230901.Client(clientConfig(cloud, 'hunyuan', agent, 'wrong-secret-key'));
    await assert.rejects(client.QueryHunyuanImageJob({ JobId: 'x' }), (error: { code?: string; requestId?: string }) => {
      assert.equal(error.code, 'AuthFailure.SignatureFailure');
      assert.ok(error.requestId);
      return true;
    });
  });
});
