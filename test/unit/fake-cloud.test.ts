// The simulated Tencent Cloud, driven with raw signed HTTP requests. Requests are signed with the
// official SDK's signer (an independent oracle), so these tests check the server, not a shared bug.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { inflateSync } from 'node:zlib';
import Sign from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign';
import { drawImage } from '../fake-cloud/draw';
import { startFakeCloud, TEST_CREDENTIALS, type FakeCloud, type FakeCloudOptions } from '../fake-cloud/index';
import { tc3Signature } from '../fake-cloud/signature';

const VERSIONS: Record<string, string> = { hunyuan: '2023-09-01', aiart: '2022-12-29', mps: '2019-06-12' };
const DEFAULT_REGION: Record<string, string | undefined> = { hunyuan: 'ap-guangzhou', aiart: 'ap-guangzhou', mps: undefined };

interface Reply {
  status: number;
  contentType: string;
  text: string;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

interface CallOptions {
  service: string;
  action: string;
  params?: unknown;
  secretId?: string;
  secretKey?: string;
  timestamp?: number;
  token?: string;
  /** null = send no X-TC-Region. */
  region?: string | null;
  version?: string;
  /** Replaces the computed Authorization header. */
  authorization?: string;
  /** The host name put in the signature (default `<service>.tencentcloudapi.com`, no port, as the SDK signs). */
  signHost?: string;
  /** Body bytes actually sent, when they should differ from the signed ones. */
  sentBody?: string;
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', text: all.toString('utf8'), body: all, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function rawCall(cloud: FakeCloud, options: CallOptions): Promise<Reply> {
  const body = JSON.stringify(options.params ?? {});
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const hostName = `${options.service}.tencentcloudapi.com`;
  const authorization =
    options.authorization ??
    Sign.sign3({
      method: 'POST',
      url: `http://${options.signHost ?? hostName}/`,
      payload: Buffer.from(body),
      timestamp,
      service: options.service,
      secretId: options.secretId ?? TEST_CREDENTIALS.secretId,
      secretKey: options.secretKey ?? TEST_CREDENTIALS.secretKey,
      multipart: false,
      boundary: '',
      headers: { 'Content-Type': 'application/json' },
    });
  const headers: Record<string, string> = {
    Authorization: authorization,
    'Content-Type': 'application/json',
    Host: `${hostName}:${cloud.port}`,
    'X-TC-Action': options.action,
    'X-TC-Version': options.version ?? VERSIONS[options.service] ?? '2020-01-01',
    'X-TC-Timestamp': String(timestamp),
  };
  const region = options.region === undefined ? DEFAULT_REGION[options.service] : options.region;
  if (region !== null && region !== undefined) headers['X-TC-Region'] = region;
  if (options.token !== undefined) headers['X-TC-Token'] = options.token;
  return send(cloud.port, 'POST', '/', headers, options.sentBody ?? body);
}

/** The `Response` object of a JSON reply. */
async function api(cloud: FakeCloud, options: CallOptions): Promise<Record<string, any>> {
  const reply = await rawCall(cloud, options);
  assert.equal(reply.status, 200, reply.text);
  assert.match(reply.contentType, /^application\/json/);
  const response = JSON.parse(reply.text).Response;
  assert.match(response.RequestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  return response;
}

async function errorCode(cloud: FakeCloud, options: CallOptions): Promise<string | undefined> {
  return (await api(cloud, options)).Error?.Code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The data of a PNG's IDAT chunks, in order. */
function idatChunks(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 8; offset + 12 <= bytes.length; ) {
    const length = bytes.readUInt32BE(offset);
    if (bytes.toString('latin1', offset + 4, offset + 8) === 'IDAT') chunks.push(bytes.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  return chunks;
}

async function download(url: string): Promise<Reply> {
  const parsed = new URL(url);
  assert.equal(parsed.hostname, '127.0.0.1');
  return send(Number(parsed.port), 'GET', parsed.pathname + parsed.search, {});
}

const submitHunyuan = (prompt = '一只猫', extra: Record<string, unknown> = {}): CallOptions => ({
  service: 'hunyuan',
  action: 'SubmitHunyuanImageJob',
  params: { Prompt: prompt, ...extra },
});

/** Well under the 20 queries/s the query actions allow, however long a job takes. */
const POLL_MS = 60;

/** Polls a hunyuan/aiart job until it ends; returns the distinct status codes seen, in order. */
async function pollJob(cloud: FakeCloud, service: string, action: string, jobId: string): Promise<{ codes: string[]; last: Record<string, any> }> {
  const codes: string[] = [];
  for (;;) {
    const reply = await api(cloud, { service, action, params: { JobId: jobId } });
    assert.equal(reply.Error, undefined, JSON.stringify(reply.Error));
    if (codes.at(-1) !== reply.JobStatusCode) codes.push(reply.JobStatusCode);
    if (reply.JobStatusCode === '4' || reply.JobStatusCode === '5') return { codes, last: reply };
    await sleep(POLL_MS);
  }
}

describe('fake cloud', function () {
  let cloud: FakeCloud;
  const started: FakeCloud[] = [];

  async function start(options: FakeCloudOptions = {}): Promise<FakeCloud> {
    const c = await startFakeCloud({ jobSeconds: 0.2, ...options });
    started.push(c);
    return c;
  }

  beforeEach(async () => {
    cloud = await start();
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => c.close()));
  });

  describe('signature and authentication', () => {
    it('accepts a request signed like the official SDK (host without port)', async () => {
      const reply = await api(cloud, submitHunyuan());
      assert.equal(reply.Error, undefined);
      assert.match(reply.JobId, /^\d+-\d+-[0-9a-f-]{36}-0$/);
    });

    it('also accepts the host signed with its port, nothing else', async () => {
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), signHost: `hunyuan.tencentcloudapi.com:${cloud.port}` }), undefined);
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), signHost: 'aiart.tencentcloudapi.com' }), 'AuthFailure.SignatureFailure');
    });

    it('reproduces the published TC3 vector (tencent-api.md §1.8 A)', () => {
      const body = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
      const signature = tc3Signature({
        secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
        method: 'POST',
        query: '',
        canonicalHeaders: 'content-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n',
        signedHeaders: 'content-type;host',
        payloadHash: '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
        timestamp: '1551113065',
        date: '2019-02-25',
        service: 'cvm',
      });
      assert.equal(Buffer.byteLength(body), 86);
      assert.equal(signature, '2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c');
    });

    it('wrong key -> AuthFailure.SignatureFailure', async () => {
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), secretKey: 'not-the-key' }), 'AuthFailure.SignatureFailure');
    });

    it('a body changed after signing -> AuthFailure.SignatureFailure', async () => {
      assert.equal(await errorCode(cloud, { ...submitHunyuan('cat'), sentBody: JSON.stringify({ Prompt: 'dog' }) }), 'AuthFailure.SignatureFailure');
    });

    it('unknown SecretId -> AuthFailure.SecretIdNotFound', async () => {
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), secretId: 'AKIDsomebodyElse' }), 'AuthFailure.SecretIdNotFound');
    });

    it('clock skew over 5 minutes -> AuthFailure.SignatureExpire; within 5 minutes is fine', async () => {
      const now = Math.floor(Date.now() / 1000);
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), timestamp: now - 400 }), 'AuthFailure.SignatureExpire');
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), timestamp: now + 400 }), 'AuthFailure.SignatureExpire');
      const ok = await api(cloud, { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'x' }, timestamp: now - 200 });
      assert.equal(ok.Error.Code, 'InvalidParameter.InvalidParameter', 'authenticated, then refused for the unknown job');
    });

    it('a malformed Authorization header -> AuthFailure.InvalidAuthorization', async () => {
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), authorization: 'TC3-HMAC-SHA256 Credential=abc' }), 'AuthFailure.InvalidAuthorization');
    });

    it('session token: missing, wrong or unexpected -> AuthFailure.TokenFailure', async () => {
      const withToken = await start({ sessionToken: 'sts-token-1' });
      assert.equal(await errorCode(withToken, submitHunyuan()), 'AuthFailure.TokenFailure');
      assert.equal(await errorCode(withToken, { ...submitHunyuan(), token: 'sts-token-2' }), 'AuthFailure.TokenFailure');
      assert.equal(await errorCode(withToken, { ...submitHunyuan(), token: 'sts-token-1' }), undefined);
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), token: 'sts-token-1' }), 'AuthFailure.TokenFailure');
    });

    it('custom key pair replaces the test pair', async () => {
      const custom = await start({ secretId: 'AKIDcustom', secretKey: 'custom-key' });
      assert.equal(await errorCode(custom, submitHunyuan()), 'AuthFailure.SecretIdNotFound');
      assert.equal(await errorCode(custom, { ...submitHunyuan(), secretId: 'AKIDcustom', secretKey: 'custom-key' }), undefined);
    });
  });

  describe('routing', () => {
    it('routes by the service in the credential scope and checks product, version, action and region', async () => {
      assert.equal(await errorCode(cloud, { service: 'cvm', action: 'DescribeInstances' }), 'NoSuchProduct');
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), version: '2022-12-29' }), 'NoSuchVersion');
      assert.equal(await errorCode(cloud, { service: 'hunyuan', action: 'ChatCompletionsX' }), 'InvalidAction');
      assert.equal(await errorCode(cloud, { service: 'aiart', action: 'SubmitHunyuanImageJob' }), 'InvalidAction');
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), region: null }), 'MissingParameter');
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), region: 'ap-shanghai' }), 'UnsupportedRegion');
      assert.equal(await errorCode(cloud, { service: 'aiart', action: 'QueryTextToImageJob', params: { JobId: 'j' }, region: null }), 'MissingParameter');
      assert.equal(await errorCode(cloud, { service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId: 't' }, region: null }), 'InvalidParameterValue.TaskId');
    });

    it('answers other paths with 404 and unknown result ids with a COS NoSuchKey', async () => {
      assert.equal((await send(cloud.port, 'GET', '/nothing', {})).status, 404);
      const missing = await send(cloud.port, 'GET', `/results/${'0'.repeat(32)}.png?q-sign-time=1;2`, {});
      assert.equal(missing.status, 404);
      assert.match(missing.text, /<Code>NoSuchKey<\/Code>/);
    });
  });

  describe('request validation', () => {
    it('field names and types: UnknownParameter, InvalidParameter, MissingParameter', async () => {
      assert.equal(await errorCode(cloud, submitHunyuan('cat', { Colour: 'red' })), 'UnknownParameter');
      assert.equal(await errorCode(cloud, submitHunyuan('cat', { LogoParam: { LogoRect: { Z: 1 } } })), 'UnknownParameter');
      assert.equal(await errorCode(cloud, submitHunyuan('cat', { Num: '2' })), 'InvalidParameter');
      assert.equal(await errorCode(cloud, submitHunyuan('cat', { Num: 1.5 })), 'InvalidParameter');
      assert.equal(await errorCode(cloud, { service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: {} }), 'MissingParameter');
    });

    it('prompt length counts Unicode code points', async () => {
      assert.equal(await errorCode(cloud, submitHunyuan('猫'.repeat(1024))), undefined);
      const other = await start();
      assert.equal(await errorCode(other, submitHunyuan('猫'.repeat(1025))), 'InvalidParameterValue.ParameterValueError');
      const lite = { service: 'aiart', action: 'TextToImageLite' };
      assert.equal(await errorCode(other, { ...lite, params: { Prompt: '😀'.repeat(1025) } }), 'InvalidParameterValue.TextLengthExceed');
    });

    it('resolutions, counts and styles per action', async () => {
      const codes = await Promise.all([
        errorCode(cloud, submitHunyuan('cat', { Resolution: '1920:1080' })),
        errorCode(cloud, submitHunyuan('cat', { Num: 5 })),
        errorCode(cloud, submitHunyuan('cat', { Style: 'nope' })),
        errorCode(cloud, { service: 'aiart', action: 'TextToImageLite', params: { Prompt: 'a', Resolution: '1000:1000' } }),
        errorCode(cloud, { service: 'aiart', action: 'TextToImageRapid', params: { Prompt: 'a', Style: '31' } }),
        errorCode(cloud, { service: 'aiart', action: 'SubmitTextToImageJob', params: { Prompt: 'a', Resolution: '2048:1024' } }),
        errorCode(cloud, { service: 'mps', action: 'CreateAigcImageTask', params: { ModelName: 'Dalle', Prompt: 'a' } }),
        errorCode(cloud, { service: 'mps', action: 'CreateAigcImageTask', params: { ModelName: 'Hunyuan', Prompt: 'a', AdditionalParameters: '{"size":"2048x2048"}' } }),
      ]);
      assert.deepEqual(codes, [
        'InvalidParameterValue.ParameterValueError',
        'InvalidParameterValue.ParameterValueError',
        'InvalidParameterValue.ParameterValueError',
        'InvalidParameterValue.ParameterValueError',
        'InvalidParameterValue.ParameterValueError',
        'InvalidParameterValue.ParameterValueError',
        'InvalidParameterValue',
        'InvalidParameterValue',
      ]);
    });

    it('reference images: base64 decodable, format allowed, sides within limits', async () => {
      const i2i = (InputImage: string, extra: Record<string, unknown> = {}): CallOptions => ({
        service: 'aiart',
        action: 'ImageToImage',
        params: { InputImage, ...extra },
      });
      const tiny = drawImage({ prompt: 'tiny', width: 40, height: 40, format: 'png' }).toString('base64');
      const gif = Buffer.from('R0lGODlhgACAAIAAAAAAAP///yH5BAEAAAAALAAAAACAAIAAAAJ+hI+py+0Po5y02ouz3rz7D4biSJbmiabqyrbuC8fyTNf2jef6zvf+DwwKh8Si8YhMKpfMpvMJjUqn1Kr1is1qt9yu9wsOi8fksvmMTqvX7Lb7DY/L5/S6/Y7P6/f8vv8PGCg4SFhoeIiYqLjI2Oj4CBkpOUlZaXmJmal5UAAAOw==', 'base64').toString('base64');
      const ok = drawImage({ prompt: 'ok', width: 200, height: 100, format: 'jpeg' }).toString('base64');
      assert.deepEqual(
        await Promise.all([
          errorCode(cloud, i2i('')),
          errorCode(cloud, i2i('!!not base64!!')),
          errorCode(cloud, i2i(tiny)),
          errorCode(cloud, i2i(gif)),
          errorCode(cloud, i2i(ok, { Styles: ['104', '201'] })),
        ]),
        ['InvalidParameterValue.ImageEmpty', 'FailedOperation.ImageDecodeFailed', 'FailedOperation.ImageResolutionExceed', 'FailedOperation.ImageDecodeFailed', 'InvalidParameterValue.StyleConflict'],
      );
      const reply = await api(cloud, i2i(ok, { Styles: ['201'] }));
      assert.equal(reply.Error, undefined, JSON.stringify(reply.Error));
      assert.deepEqual(pngSize(Buffer.from(reply.ResultImage, 'base64')), { width: 200, height: 100 }, 'origin keeps the input size');
    });
  });

  describe('jobs and result URLs', () => {
    it('a job runs 1 -> 2 -> 5 and its URL serves a PNG of the requested size, until it expires', async () => {
      const c = await start({ jobSeconds: 0.4, resultUrlTtlSeconds: 0.5 });
      const { JobId } = await api(c, submitHunyuan('夕阳下的山', { Resolution: '768:1024', Revise: 0 }));
      const { codes, last } = await pollJob(c, 'hunyuan', 'QueryHunyuanImageJob', JobId);
      assert.deepEqual(codes, ['1', '2', '5']);
      assert.equal(last.JobStatusMsg, '处理完成');
      assert.deepEqual(last.ResultDetails, ['Success']);
      assert.deepEqual(last.RevisedPrompt, ['夕阳下的山'], 'Revise 0 returns the prompt as given');
      const url = last.ResultImage[0] as string;
      assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${c.port}/results/[0-9a-f]{32}\\.png\\?q-sign-time=\\d+;\\d+$`));
      const image = await download(url);
      assert.equal(image.status, 200);
      assert.equal(image.contentType, 'image/png');
      assert.deepEqual(pngSize(image.body), { width: 768, height: 1024 });
      // Like COS, the URL works until its signature's end (whole seconds), and not after it.
      const signedEndMs = Number(/q-sign-time=\d+;(\d+)/.exec(url)![1]) * 1000;
      assert.ok(signedEndMs - Date.now() <= 1_500, 'a 0.5 s lifetime ends within the next whole second');
      await sleep(Math.max(0, signedEndMs - Date.now()) + 50);
      const expired = await download(url);
      assert.equal(expired.status, 403);
      assert.match(expired.text, /<Code>AccessDenied<\/Code>/);
      assert.match(expired.text, /Request has expired/);
      assert.equal((await download(url.replace(/q-sign-time=\d+/, 'q-sign-time=1'))).status, 403, 'a tampered q-sign-time is refused');
    });

    it('Num and Clarity: several images of the scaled size', async () => {
      const { JobId } = await api(cloud, submitHunyuan('two cats', { Num: 2, Resolution: '768:768', Clarity: 'x2' }));
      const { last } = await pollJob(cloud, 'hunyuan', 'QueryHunyuanImageJob', JobId);
      assert.equal(last.ResultImage.length, 2);
      assert.notEqual(last.RevisedPrompt[0], 'two cats', 'Revise defaults to on');
      for (const url of last.ResultImage) assert.deepEqual(pngSize((await download(url)).body), { width: 1536, height: 1536 });
    });

    it('unknown job ids answer each service\'s real code', async () => {
      assert.equal(await errorCode(cloud, { service: 'aiart', action: 'QueryTextToImageJob', params: { JobId: 'nope' } }), 'FailedOperation.JobNotExist');
      assert.equal(await errorCode(cloud, { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'nope' } }), 'InvalidParameter.InvalidParameter');
      const { JobId } = await api(cloud, submitHunyuan());
      assert.equal(await errorCode(cloud, { service: 'aiart', action: 'QueryTextToImageProJob', params: { JobId } }), 'FailedOperation.JobNotExist', 'a hunyuan job is not an aiart job');
    });

    it('mps tasks go WAIT/RUN -> DONE with a JPEG by default, PNG on request', async () => {
      const formats: string[] = [];
      for (const extra of [{}, { ExtraParameters: { OutputFormat: 'png' } }]) {
        const { TaskId } = await api(cloud, { service: 'mps', action: 'CreateAigcImageTask', params: { ModelName: 'Hunyuan', Prompt: '海边', AdditionalParameters: '{"size":"640x512"}', ...extra } });
        assert.match(TaskId, /^4-AigcImage-[0-9a-f]{32}$/);
        let reply: Record<string, any>;
        const statuses: string[] = [];
        do {
          reply = await api(cloud, { service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId } });
          assert.equal(reply.Error, undefined, JSON.stringify(reply.Error));
          if (statuses.at(-1) !== reply.Status) statuses.push(reply.Status);
          await sleep(POLL_MS);
        } while (reply.Status !== 'DONE' && reply.Status !== 'FAIL');
        assert.equal(statuses.at(-1), 'DONE');
        assert.ok(statuses.every((s) => ['WAIT', 'RUN', 'DONE'].includes(s)), statuses.join());
        const image = await download(reply.ImageUrls[0]);
        formats.push(image.contentType);
        if (image.contentType === 'image/jpeg') assert.deepEqual([...image.body.subarray(0, 3)], [0xff, 0xd8, 0xff]);
        else assert.deepEqual(pngSize(image.body), { width: 640, height: 512 });
      }
      assert.deepEqual(formats, ['image/jpeg', 'image/png']);
    });

    it('sync calls return base64 by default or a URL, and different prompts give different images', async () => {
      const lite = (Prompt: string, extra: Record<string, unknown> = {}): CallOptions => ({ service: 'hunyuan', action: 'TextToImageLite', params: { Prompt, ...extra } });
      const [a, b, c] = await Promise.all([api(cloud, lite('red fox')), api(cloud, lite('blue whale')), api(cloud, lite('grey owl', { RspImgType: 'url', Resolution: '1080:1920' }))]);
      const bytesA = Buffer.from(a.ResultImage, 'base64');
      const bytesB = Buffer.from(b.ResultImage, 'base64');
      assert.deepEqual(pngSize(bytesA), { width: 768, height: 768 });
      assert.notDeepEqual(bytesA, bytesB);
      assert.deepEqual(pngSize((await download(c.ResultImage)).body), { width: 1080, height: 1920 });
      assert.equal(cloud.stats().submits['TextToImageLite'], 3);
    });
  });

  describe('limits', () => {
    it('a full pool answers RequestLimitExceeded.JobNumExceed until a job ends', async () => {
      const first = await api(cloud, submitHunyuan('one'));
      assert.equal(first.Error, undefined);
      assert.equal(await errorCode(cloud, submitHunyuan('two')), 'RequestLimitExceeded.JobNumExceed');
      await pollJob(cloud, 'hunyuan', 'QueryHunyuanImageJob', first.JobId);
      assert.equal(await errorCode(cloud, submitHunyuan('three')), undefined);
      const stats = cloud.stats();
      assert.equal(stats.limitErrors, 1);
      assert.equal(stats.submits['SubmitHunyuanImageJob'], 2);
      assert.equal(stats.maxRunning['hunyuan-image-job'], 1);
    });

    it('sync calls hold their pool while in flight; pool sizes can be overridden', async () => {
      const lite = (Prompt: string): CallOptions => ({ service: 'aiart', action: 'TextToImageLite', params: { Prompt } });
      const codes = await Promise.all([errorCode(cloud, lite('a')), errorCode(cloud, lite('b'))]);
      assert.deepEqual(codes.sort(), [undefined, 'RequestLimitExceeded.JobNumExceed'].sort());
      const wider = await start({ concurrency: { 'aiart-text-to-image-lite': 2 } });
      assert.deepEqual(await Promise.all([errorCode(wider, lite('a')), errorCode(wider, lite('b'))]), [undefined, undefined]);
      assert.equal(wider.stats().maxRunning['aiart-text-to-image-lite'], 2);
    });

    it('more than 20 queries a second answer RequestLimitExceeded', async () => {
      const query = { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'x' } };
      const codes = await Promise.all(Array.from({ length: 25 }, () => errorCode(cloud, query)));
      const limited = codes.filter((c) => c === 'RequestLimitExceeded').length;
      assert.equal(limited, 5);
      assert.equal(cloud.stats().limitErrors, 5);
      assert.equal(cloud.stats().requests['QueryHunyuanImageJob'], 25);
    });
  });

  describe('fault switches', () => {
    it('latency delays every API reply', async () => {
      cloud.setFaults(['latency=300']);
      const started = Date.now();
      await api(cloud, { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'x' } });
      assert.ok(Date.now() - started >= 300);
    });

    it('5xx answers HTTP 502 with an HTML body, and creates nothing', async () => {
      cloud.setFaults(['5xx']);
      const reply = await rawCall(cloud, submitHunyuan());
      assert.equal(reply.status, 502);
      assert.match(reply.contentType, /^text\/html/);
      assert.equal(cloud.stats().submits['SubmitHunyuanImageJob'], undefined);
    });

    it('malformed-json cuts the JSON reply', async () => {
      cloud.setFaults(['malformed-json']);
      const reply = await rawCall(cloud, submitHunyuan());
      assert.equal(reply.status, 200);
      assert.throws(() => JSON.parse(reply.text));
    });

    it('reset=submit drops the connection after the job was created; queries still work', async () => {
      cloud.setFaults(['reset=submit']);
      await assert.rejects(rawCall(cloud, submitHunyuan()), /socket hang up|ECONNRESET/);
      assert.equal(cloud.stats().submits['SubmitHunyuanImageJob'], 1, 'the request reached the cloud and was billed');
      assert.equal(await errorCode(cloud, { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'x' } }), 'InvalidParameter.InvalidParameter');
    });

    it('reset=query drops queries only', async () => {
      const { JobId } = await api(cloud, submitHunyuan());
      cloud.setFaults(['reset=query']);
      await assert.rejects(rawCall(cloud, { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId } }), /socket hang up|ECONNRESET/);
      cloud.setFaults([]);
      assert.equal((await api(cloud, { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId } })).Error, undefined);
    });

    it('reset-times=N limits reset to the next N requests in its scope, then replies again', async () => {
      const { JobId } = await api(cloud, submitHunyuan());
      cloud.setFaults(['reset=query', 'reset-times=2']);
      const query = { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId } };
      await assert.rejects(rawCall(cloud, query), /socket hang up|ECONNRESET/);
      assert.equal((await api(cloud, { service: 'aiart', action: 'TextToImageRapid', params: { Prompt: 'x' } })).Error, undefined, 'a submit is out of the query scope and not counted');
      await assert.rejects(rawCall(cloud, query), /socket hang up|ECONNRESET/);
      assert.equal((await api(cloud, query)).Error, undefined, 'the third query is answered');
      assert.throws(() => cloud.setFaults(['reset-times=1']), /switch on reset/);
    });

    it('rate-limit-storm=N refuses the next N requests', async () => {
      cloud.setFaults(['rate-limit-storm=2']);
      const query = { service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId: 't' } };
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push(await errorCode(cloud, query));
      assert.deepEqual(codes, ['RequestLimitExceeded', 'RequestLimitExceeded', 'InvalidParameterValue.TaskId']);
      assert.equal(cloud.stats().limitErrors, 2);
    });

    it('moderation-text refuses submits with each service\'s code', async () => {
      cloud.setFaults(['moderation-text']);
      assert.equal(await errorCode(cloud, submitHunyuan()), 'OperationDenied.TextIllegalDetected');
      assert.equal(await errorCode(cloud, { service: 'aiart', action: 'TextToImageRapid', params: { Prompt: 'x' } }), 'OperationDenied.TextIllegalDetected');
      assert.equal(await errorCode(cloud, { service: 'mps', action: 'CreateAigcImageTask', params: { ModelName: 'Qwen', Prompt: 'x' } }), 'InvalidParameter.ViolationContent');
      assert.deepEqual(cloud.stats().submits, {}, 'nothing billed');
    });

    it('moderation-image fails jobs and sync calls with FailedOperation.GenerateImageFailed', async () => {
      cloud.setFaults(['moderation-image']);
      const { JobId } = await api(cloud, { service: 'aiart', action: 'SubmitTextToImageProJob', params: { Prompt: 'x' } });
      const { last } = await pollJob(cloud, 'aiart', 'QueryTextToImageProJob', JobId);
      assert.equal(last.JobStatusCode, '4');
      assert.equal(last.JobErrorCode, 'FailedOperation.GenerateImageFailed');
      assert.deepEqual(last.ResultImage, []);
      assert.equal(await errorCode(cloud, { service: 'aiart', action: 'TextToImageLite', params: { Prompt: 'x' } }), 'FailedOperation.GenerateImageFailed');
    });

    it('job-failure ends jobs failed ("4" / FAIL)', async () => {
      cloud.setFaults(['job-failure']);
      const { JobId } = await api(cloud, submitHunyuan());
      const { last } = await pollJob(cloud, 'hunyuan', 'QueryHunyuanImageJob', JobId);
      assert.deepEqual([last.JobStatusCode, last.JobStatusMsg, last.JobErrorCode], ['4', '处理失败', 'FailedOperation.EngineServerError']);
      const { TaskId } = await api(cloud, { service: 'mps', action: 'CreateAigcImageTask', params: { ModelName: 'Kling', Prompt: 'x' } });
      await sleep(300);
      const task = await api(cloud, { service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId } });
      assert.equal(task.Status, 'FAIL');
      assert.match(task.Message, /^FailedOperation\.EngineServerError/);
    });

    it('stored-png draws PNG results without compression, in 64 KB IDAT chunks: the same picture at about 3 bytes a pixel', async () => {
      // A fixed seed: the same picture with and without the switch.
      const lite: CallOptions = { service: 'aiart', action: 'TextToImageLite', params: { Prompt: 'a lake without compression', Seed: 7, Resolution: '768:768' } };
      const compressed = Buffer.from((await api(cloud, lite)).ResultImage, 'base64');
      cloud.setFaults(['stored-png']);
      const stored = Buffer.from((await api(cloud, lite)).ResultImage, 'base64');
      assert.deepEqual(pngSize(stored), { width: 768, height: 768 });
      const rawBytes = 768 * (1 + 3 * 768);
      assert.ok(stored.length > rawBytes && stored.length < rawBytes * 1.01, `${stored.length} bytes for ${rawBytes} bytes of scanlines`);
      assert.ok(compressed.length < rawBytes / 5, 'without the switch the picture deflates as before');
      const chunks = idatChunks(stored);
      assert.ok(chunks.length > 1 && chunks.every((chunk) => chunk.length <= 64 * 1024), `IDAT sizes ${chunks.map((chunk) => chunk.length).join(', ')}`);
      assert.deepEqual(inflateSync(Buffer.concat(chunks)), inflateSync(Buffer.concat(idatChunks(compressed))), 'the same pixels');
    });

    describe('download faults', () => {
      let url: string;
      let size: number;
      beforeEach(async () => {
        const reply = await api(cloud, { service: 'hunyuan', action: 'TextToImageLite', params: { Prompt: 'p', RspImgType: 'url' } });
        url = reply.ResultImage;
        size = (await download(url)).body.length;
      });

      it('truncated-download announces the full length, sends half, drops the socket', async () => {
        cloud.setFaults(['truncated-download']);
        const parsed = new URL(url);
        const outcome = await new Promise<{ announced: number; received: number; aborted: boolean }>((resolve) => {
          const req = request({ host: '127.0.0.1', port: parsed.port, path: parsed.pathname + parsed.search }, (res) => {
            let received = 0;
            let aborted = false;
            res.on('data', (c: Buffer) => (received += c.length));
            res.on('aborted', () => (aborted = true));
            res.on('error', () => (aborted = true));
            res.on('close', () => resolve({ announced: Number(res.headers['content-length']), received, aborted: aborted || !res.complete }));
          });
          req.end();
        });
        assert.equal(outcome.announced, size);
        assert.ok(outcome.received < size);
        assert.ok(outcome.aborted);
      });

      it('oversized-download streams far more than any image', async () => {
        cloud.setFaults(['oversized-download']);
        const parsed = new URL(url);
        const received = await new Promise<number>((resolve) => {
          const req = request({ host: '127.0.0.1', port: parsed.port, path: parsed.pathname + parsed.search }, (res) => {
            assert.equal(res.headers['content-length'], undefined);
            let total = 0;
            res.on('data', (c: Buffer) => {
              total += c.length;
              if (total > 20 * 1024 * 1024) {
                req.destroy();
                resolve(total);
              }
            });
            res.on('end', () => resolve(total));
          });
          req.on('error', () => undefined);
          req.end();
        });
        assert.ok(received > 20 * 1024 * 1024);
      });

      it('non-image-download serves bytes of the right length labelled image/png that are no image', async () => {
        cloud.setFaults(['non-image-download']);
        const reply = await download(url);
        assert.equal(reply.status, 200);
        assert.equal(reply.contentType, 'image/png');
        assert.equal(reply.body.length, size);
        assert.notDeepEqual([...reply.body.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      });

      it('wrong-content-type serves an HTML page', async () => {
        cloud.setFaults(['wrong-content-type']);
        const reply = await download(url);
        assert.match(reply.contentType, /^text\/html/);
        assert.match(reply.text, /<html>/);
      });
    });

    it('unauthorized answers AuthFailure.UnauthorizedOperation to a valid key, per service, and creates nothing', async () => {
      cloud.setFaults(['unauthorized']);
      assert.equal(await errorCode(cloud, submitHunyuan()), 'AuthFailure.UnauthorizedOperation');
      assert.equal(await errorCode(cloud, { service: 'aiart', action: 'QueryTextToImageJob', params: { JobId: 'x' } }), 'AuthFailure.UnauthorizedOperation');
      assert.equal(await errorCode(cloud, { service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId: 't' } }), 'AuthFailure.UnauthorizedOperation');
      assert.equal(await errorCode(cloud, { ...submitHunyuan(), secretKey: 'wrong' }), 'AuthFailure.SignatureFailure', 'a bad key is still told apart');
      assert.deepEqual(cloud.stats().submits, {}, 'nothing billed');
      cloud.setFaults(['unauthorized=mps']);
      assert.equal(await errorCode(cloud, { service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId: 't' } }), 'AuthFailure.UnauthorizedOperation');
      assert.equal(await errorCode(cloud, { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'x' } }), 'InvalidParameter.InvalidParameter');
    });

    it('not-activated answers each service\'s own code, per service, and creates nothing', async () => {
      cloud.setFaults(['not-activated']);
      assert.equal(await errorCode(cloud, { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'x' } }), 'FailedOperation.ServiceNotActivated');
      assert.equal(await errorCode(cloud, submitHunyuan()), 'FailedOperation.ServiceNotActivated');
      assert.equal(await errorCode(cloud, { service: 'aiart', action: 'QueryTextToImageJob', params: { JobId: 'x' } }), 'ResourceUnavailable.NotExist');
      assert.equal(await errorCode(cloud, { service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId: 't' } }), 'FailedOperation.InvalidMpsUser');
      assert.deepEqual(cloud.stats().submits, {}, 'nothing billed');
      cloud.setFaults(['not-activated=aiart']);
      assert.equal(await errorCode(cloud, { service: 'aiart', action: 'TextToImageRapid', params: { Prompt: 'x' } }), 'ResourceUnavailable.NotExist');
      assert.equal(await errorCode(cloud, { service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId: 't' } }), 'InvalidParameterValue.TaskId');
    });

    it('rejects unknown or malformed switches', () => {
      assert.throws(() => cloud.setFaults(['lag=3']), /unknown fault/);
      assert.throws(() => cloud.setFaults(['reset=sometimes']), /scope/);
      assert.throws(() => cloud.setFaults(['latency=soon']), /integer/);
      assert.throws(() => cloud.setFaults(['not-activated=cvm']), /service must be/);
    });
  });

  it('the CLI prints its URL line and serves it', async function () {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../fake-cloud/main.ts'), '--port', '0', '--job-seconds', '0.1'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout! });
      let line = '';
      for await (const l of lines) {
        line = l;
        break;
      }
      const match = /^fake-cloud listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      assert.ok(match, line);
      const port = Number(match[2]);
      const viaCli = { url: match[1]!, port } as FakeCloud;
      assert.equal(await errorCode(viaCli, submitHunyuan()), undefined);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});
