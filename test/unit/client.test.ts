// The HTTP client against real loopback servers: headers and signature, reply parsing, every
// transport failure with the mayHaveReachedServer flag that guards against double billing,
// endpoint overrides and a real CONNECT proxy.
import * as assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { inspect } from 'node:util';
import Sign from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign';
import { MAX_REPLY_BYTES, TencentCloudClient, type TencentClientOptions } from '../../src/core/tencent/client';
import { isLoopbackHost, parseEndpointOverride } from '../../src/core/tencent/endpoint';
import { parseEnvelope } from '../../src/core/tencent/envelope';
import {
  cancelledError,
  httpStatusError,
  malformedReplyError,
  missingCredentialsError,
  networkError,
  proxyRefusedError,
  timeoutError,
} from '../../src/core/tencent/error-catalog';
import { StudioError } from '../../src/core/tencent/errors';
import { shouldUseProxy } from '../../src/core/tencent/proxy';
import { signRequest, type Credentials } from '../../src/core/tencent/signer';
import { startFakeCloud, TEST_CREDENTIALS } from '../fake-cloud/index';

const SECRET_ID = 'AKID-client-test-secret-id-0001';
const SECRET_KEY = 'client-test-secret-key-DO-NOT-LEAK';
const SESSION_TOKEN = 'client-test-session-token-DO-NOT-LEAK';
const PROXY_PASSWORD = 'proxy-password-DO-NOT-LEAK';
const NOW_MS = Date.UTC(2025, 5, 1, 16, 0, 3, 999); // 00:00:03 Beijing time, still 2025-06-01 UTC
const CREDENTIALS: Credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY };

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly received: Received[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function shutDown(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function startServer(handler: Handler): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ headers: req.headers, body });
      handler(req, res, body);
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, received, close: () => shutDown(server) };
}

function replyJson(value: unknown): Handler {
  return (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(typeof value === 'string' ? value : JSON.stringify(value));
  };
}

interface TestProxy {
  readonly url: string;
  /** CONNECT targets asked for, `host:port`. */
  readonly targets: string[];
  close(): Promise<void>;
}

/** A real CONNECT proxy: tunnels, refuses with 403, or accepts and never answers. */
async function startProxy(mode: 'tunnel' | 'refuse' | 'hang'): Promise<TestProxy> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    targets.push(req.url ?? '');
    sockets.add(client);
    client.on('error', () => client.destroy());
    if (mode === 'refuse') return void client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    if (mode === 'hang') return;
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  const port = await listen(server);
  return {
    url: `http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:${port}`,
    targets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await shutDown(server);
    },
  };
}

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await shutDown(server);
  return port;
}

/** The official SDK's signature for what the server received, from the received bytes and headers. */
function sdkAuthorization(request: Received, service: string, secretKey = SECRET_KEY, secretId = SECRET_ID): string {
  return Sign.sign3({
    method: 'POST',
    url: `http://${request.headers.host}/`,
    payload: request.body,
    timestamp: Number(request.headers['x-tc-timestamp']),
    service,
    secretId,
    secretKey,
    multipart: false,
    boundary: '',
    headers: { 'Content-Type': String(request.headers['content-type']) },
  });
}

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof StudioError, `expected a StudioError, got ${inspect(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

/** Same kind of failure as the catalog's factory would make (the catalog owns codes and texts). */
function assertLike(actual: StudioError, expected: StudioError): void {
  assert.equal(actual.code, expected.code, actual.message);
  assert.equal(actual.kind, expected.kind);
  assert.equal(actual.mayHaveReachedServer, expected.mayHaveReachedServer);
}

describe('Tencent Cloud client', () => {
  const clients: TencentCloudClient[] = [];
  const closers: (() => Promise<void>)[] = [];

  function client(options: Partial<TencentClientOptions> = {}): TencentCloudClient {
    const made = new TencentCloudClient({ credentials: () => CREDENTIALS, clock: () => NOW_MS, ...options });
    clients.push(made);
    return made;
  }
  async function server(handler: Handler): Promise<TestServer> {
    const started = await startServer(handler);
    closers.push(started.close);
    return started;
  }
  async function proxy(mode: 'tunnel' | 'refuse' | 'hang'): Promise<TestProxy> {
    const started = await startProxy(mode);
    closers.push(started.close);
    return started;
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  describe('the request', () => {
    it('posts the exact JSON with every header, signed as the official SDK signs it', async () => {
      const cloud = await server(replyJson({ Response: { JobId: 'job-1', RequestId: 'req-1' } }));
      const params = { Prompt: '月光下的竹林，水墨风格 🌕', LogoAdd: 1 };
      const reply = await client({ endpoint: cloud.url, language: 'zh-CN' }).call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params });

      assert.deepEqual(reply, { response: { JobId: 'job-1' }, requestId: 'req-1', target: { endpoint: cloud.url } });
      assert.equal(cloud.received.length, 1);
      const [request] = cloud.received as [Received];
      assert.equal(request.body.toString('utf8'), JSON.stringify(params));
      const h = request.headers;
      assert.equal(h.host, `127.0.0.1:${cloud.port}`);
      assert.equal(h['content-type'], 'application/json');
      assert.equal(h['x-tc-action'], 'SubmitHunyuanImageJob');
      assert.equal(h['x-tc-version'], '2023-09-01');
      assert.equal(h['x-tc-timestamp'], String(Math.floor(NOW_MS / 1000)));
      assert.equal(h['x-tc-region'], 'ap-guangzhou', 'hunyuan requires a region: the default is sent');
      assert.equal(h['x-tc-language'], 'zh-CN');
      assert.equal(h['x-tc-token'], undefined, 'no token header without a session token');
      assert.equal(h.authorization, sdkAuthorization(request, 'hunyuan'));
      assert.match(String(h.authorization), /^TC3-HMAC-SHA256 Credential=AKID-client-test-secret-id-0001\/2025-06-01\/hunyuan\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/);
    });

    it('signs an override with its host name (no port) and the action\'s own service, whatever the service', async () => {
      const cloud = await server(replyJson({ Response: { RequestId: 'req' } }));
      const caller = client({ endpoint: cloud.url });
      await caller.call({ service: 'aiart', action: 'ImageToImage', params: {} });
      await caller.call({ service: 'mps', action: 'CreateAigcImageTask', params: { Prompt: 'x' } });

      const [aiart, mps] = cloud.received as [Received, Received];
      assert.match(String(aiart.headers.authorization), /\/aiart\/tc3_request,/);
      assert.equal(aiart.headers['x-tc-version'], '2022-12-29');
      assert.equal(aiart.headers['x-tc-region'], 'ap-guangzhou');
      assert.equal(aiart.headers.authorization, sdkAuthorization(aiart, 'aiart'));
      assert.match(String(mps.headers.authorization), /\/mps\/tc3_request,/);
      assert.equal(mps.headers['x-tc-version'], '2019-06-12');
      assert.equal(mps.headers['x-tc-region'], undefined, 'mps does not require a region and none is configured');
      assert.equal(mps.headers.authorization, sdkAuthorization(mps, 'mps'));
      // What the server would compute had the port been signed too: not what was sent.
      const withPort = signRequest({ secretId: SECRET_ID, secretKey: SECRET_KEY, service: 'mps', host: String(mps.headers.host), timestamp: Number(mps.headers['x-tc-timestamp']), body: mps.body, contentType: 'application/json', method: 'POST' });
      assert.notEqual(mps.headers.authorization, withPort.authorization);
    });

    it('sends a configured region to a service that serves several, the session token as X-TC-Token, and an async provider\'s keys', async () => {
      const cloud = await server(replyJson({ Response: { RequestId: 'req' } }));
      const tempKey = { secretId: 'AKIDtemporary', secretKey: SECRET_KEY, sessionToken: SESSION_TOKEN };
      const caller = client({ endpoint: cloud.url, region: 'ap-shanghai', credentials: async () => tempKey });
      await caller.call({ service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId: 't' } });

      const [request] = cloud.received as [Received];
      assert.equal(request.headers['x-tc-region'], 'ap-shanghai');
      assert.equal(request.headers['x-tc-token'], SESSION_TOKEN);
      assert.equal(request.headers['x-tc-language'], undefined);
      // The token is a header only: the SDK's signature without it verifies.
      assert.equal(request.headers.authorization, sdkAuthorization(request, 'mps', SECRET_KEY, 'AKIDtemporary'));
    });

    it('sends hunyuan ap-guangzhou whatever region is configured: its image APIs serve no other', async () => {
      const cloud = await server(replyJson({ Response: { RequestId: 'req' } }));
      const caller = client({ endpoint: cloud.url, region: 'ap-shanghai' });
      await caller.call({ service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'j' } });
      await caller.call({ service: 'aiart', action: 'QueryTextToImageJob', params: { JobId: 'j' } });
      const [hunyuan, aiart] = cloud.received as [Received, Received];
      assert.equal(hunyuan.headers['x-tc-region'], 'ap-guangzhou');
      assert.equal(aiart.headers['x-tc-region'], 'ap-shanghai');
    });

    it('stamps each request with the clock at the time of the call', async () => {
      const cloud = await server(replyJson({ Response: { RequestId: 'req' } }));
      let now = NOW_MS;
      const caller = client({ endpoint: cloud.url, clock: () => now });
      await caller.call({ service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'j' } });
      now += 86_400_000;
      await caller.call({ service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'j' } });
      const [first, second] = cloud.received as [Received, Received];
      assert.equal(Number(second.headers['x-tc-timestamp']) - Number(first.headers['x-tc-timestamp']), 86_400);
      assert.match(String(second.headers.authorization), /\/2025-06-02\/hunyuan\//);
      assert.equal(second.headers.authorization, sdkAuthorization(second, 'hunyuan'));
    });

    it('without credentials fails with missing credentials and sends nothing', async () => {
      const cloud = await server(replyJson({ Response: { RequestId: 'req' } }));
      for (const credentials of [() => undefined, async () => undefined, () => ({ secretId: SECRET_ID, secretKey: '' })]) {
        const error = await rejection(client({ endpoint: cloud.url, credentials }).call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: {} }));
        assertLike(error, missingCredentialsError());
      }
      assert.equal(cloud.received.length, 0);
    });
  });

  describe('replies', () => {
    async function callWith(handler: Handler): Promise<StudioError> {
      const cloud = await server(handler);
      return rejection(client({ endpoint: cloud.url }).call({ service: 'aiart', action: 'TextToImageLite', params: { Prompt: 'p' } }));
    }

    it('maps Response.Error to the cloud error with its code, message and RequestId', async () => {
      const error = await callWith(
        replyJson({ Response: { Error: { Code: 'OperationDenied.TextIllegalDetected', Message: '文本内容不合规' }, RequestId: 'req-moderation' } }),
      );
      assert.equal(error.code, 'OperationDenied.TextIllegalDetected');
      assert.equal(error.requestId, 'req-moderation');
      assert.match(error.message, /文本内容不合规/);
      assert.equal(error.mayHaveReachedServer, false, 'an API error is an answer, not a lost request');
    });

    it('turns a non-200 status into an HTTP status error, even with an envelope in the body', async () => {
      const error = await callWith((_req, res) => res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"Response":{"RequestId":"r"}}'));
      assertLike(error, httpStatusError(503));
      assert.equal(error.retryable, true);
      const notFound = await callWith((_req, res) => res.writeHead(404).end('not here'));
      assertLike(notFound, httpStatusError(404));
    });

    it('reports malformed JSON, a missing RequestId and a missing envelope as malformed replies', async () => {
      for (const body of ['{"Response": {"RequestId": "r"', '{"Response": {"JobId": "j"}}', '{"JobId": "j"}', '[]', '']) {
        assertLike(await callWith(replyJson(body)), malformedReplyError('x'));
      }
    });
  });

  describe('the envelope parser', () => {
    it('returns the output without RequestId and treats a null Error as no error', () => {
      assert.deepEqual(parseEnvelope('{"Response":{"ResultImage":"u","Seed":null,"Error":null,"RequestId":"r"}}'), {
        response: { ResultImage: 'u', Seed: null },
        requestId: 'r',
      });
    });

    it('keeps the RequestId of an error and rejects an Error without a Code', () => {
      assert.throws(() => parseEnvelope('{"Response":{"Error":{"Code":"InternalError"}}}'), (e: StudioError) => e.code === 'InternalError' && e.requestId === undefined);
      assert.throws(
        () => parseEnvelope('{"Response":{"Error":{"Message":"m"},"RequestId":"r9"}}'),
        (e: StudioError) => e.code === malformedReplyError('x').code && e.requestId === 'r9',
      );
    });
  });

  describe('transport failures and whether the request may have reached the server', () => {
    it('connection refused: a network error that certainly sent nothing', async () => {
      const port = await closedPort();
      const error = await rejection(client({ endpoint: `http://127.0.0.1:${port}` }).call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: {} }));
      assertLike(error, networkError(new Error('x'), false));
      assert.equal(error.mayHaveReachedServer, false);
      assert.equal(error.retryable, true);
    });

    it('a host name that does not resolve: a network error that certainly sent nothing', async () => {
      // .invalid never resolves (RFC 6761); the generous limit only keeps a slow resolver from turning this into a timeout.
      const error = await rejection(client({ endpoint: 'https://studio-test.invalid' }).call({ service: 'mps', action: 'CreateAigcImageTask', params: {} }, { timeoutMs: 15_000 }));
      assertLike(error, networkError(new Error('x'), false));
      assert.match(error.message, /ENOTFOUND|EAI_AGAIN/);
    });

    it('connection reset after the request arrived, before the reply: may have reached the server', async () => {
      const cloud = await server((req) => req.socket.destroy());
      const error = await rejection(client({ endpoint: cloud.url }).call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: { Prompt: 'p' } }));
      assert.equal(cloud.received.length, 1, 'the server did get the request');
      assertLike(error, networkError(new Error('x'), true));
      assert.equal(error.mayHaveReachedServer, true);
      assert.equal(error.retryable, false);
    });

    it('reply cut off mid-body: may have reached the server', async () => {
      const cloud = await server((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '500' });
        res.write('{"Response":{"JobId":');
        setImmediate(() => res.socket?.destroy());
      });
      const error = await rejection(client({ endpoint: cloud.url }).call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: {} }));
      assertLike(error, networkError(new Error('x'), true));
    });

    it('a reply larger than the cap is cut off as malformed instead of filling memory', async () => {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const cloud = await server((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        let sent = 0;
        const pump = (): void => {
          while (sent <= MAX_REPLY_BYTES && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
      });
      const error = await rejection(client({ endpoint: cloud.url }).call({ service: 'aiart', action: 'TextToImageLite', params: {} }));
      assertLike(error, malformedReplyError('x'));
      assert.match(error.message, /larger than/);
    });

    it('no reply within the time limit: a timeout that may have reached the server; CallOptions.timeoutMs overrides', async () => {
      const cloud = await server(() => undefined); // holds the request, never answers
      const caller = client({ endpoint: cloud.url, timeoutMs: 60_000 });
      const error = await rejection(caller.call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: {} }, { timeoutMs: 150 }));
      assertLike(error, timeoutError(150, true));
      assert.match(error.message, /150 ms/);
      assert.equal(cloud.received.length, 1);
    });

    it('the client-wide time limit applies when the call gives none', async () => {
      const cloud = await server(() => undefined);
      const error = await rejection(client({ endpoint: cloud.url, timeoutMs: 120 }).call({ service: 'aiart', action: 'TextToImageLite', params: {} }));
      assertLike(error, timeoutError(120, true));
      assert.match(error.message, /120 ms/);
    });

    it('aborted while waiting for the reply: cancelled', async () => {
      const cloud = await server(() => undefined);
      const controller = new AbortController();
      const pending = client({ endpoint: cloud.url }).call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: {} }, { signal: controller.signal });
      while (cloud.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      assertLike(await rejection(pending), cancelledError());
    });

    it('already aborted: cancelled, and nothing is sent', async () => {
      const cloud = await server(replyJson({ Response: { RequestId: 'r' } }));
      const controller = new AbortController();
      controller.abort();
      const error = await rejection(client({ endpoint: cloud.url }).call({ service: 'mps', action: 'CreateAigcImageTask', params: {} }, { signal: controller.signal }));
      assertLike(error, cancelledError());
      assert.equal(cloud.received.length, 0);
    });

    it('aborted while the credentials are being read: cancelled, and nothing is sent', async () => {
      const cloud = await server(replyJson({ Response: { RequestId: 'r' } }));
      const controller = new AbortController();
      const credentials = async () => {
        controller.abort();
        return CREDENTIALS;
      };
      const error = await rejection(client({ endpoint: cloud.url, credentials }).call({ service: 'mps', action: 'CreateAigcImageTask', params: {} }, { signal: controller.signal }));
      assertLike(error, cancelledError());
      assert.equal(cloud.received.length, 0);
    });
  });

  describe('endpoint override', () => {
    it('accepts https anywhere and http only on loopback, refusing others with a validation error', () => {
      for (const ok of ['https://hunyuan.tencentcloudapi.com', 'https://example.com:8443/', 'http://127.0.0.1:9000', 'http://localhost:1', 'http://[::1]:8080']) {
        assert.doesNotThrow(() => new TencentCloudClient({ credentials: () => CREDENTIALS, endpoint: ok }), ok);
      }
      for (const bad of ['http://example.com', 'http://10.0.0.1:80', 'ftp://127.0.0.1', 'not a url', 'https://a.example/api', 'https://a.example/?x=1']) {
        assert.throws(
          () => new TencentCloudClient({ credentials: () => CREDENTIALS, endpoint: bad }),
          (e: StudioError) => e instanceof StudioError && e.kind === 'invalid' && e.code === 'Client.InvalidEndpoint' && e.explanation.en.length > 0 && e.explanation.zh.length > 0,
          bad,
        );
      }
    });

    it('never repeats a password given in the endpoint', () => {
      assert.throws(
        () => parseEndpointOverride('https://user:hunter2@example.com'),
        (e: StudioError) => !inspect(e, { depth: 5 }).includes('hunter2'),
      );
    });

    it('knows loopback hosts', () => {
      for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]', '::1']) assert.ok(isLoopbackHost(host), host);
      // Names a DNS server may answer for (a.localhost, localhost.) are not trusted with plain http.
      for (const host of ['128.0.0.1', 'localhost.example.com', '::2', 'example.com', '0.0.0.0', 'a.localhost', 'localhost.', '127.0.0.1.evil.com']) {
        assert.ok(!isLoopbackHost(host), host);
      }
    });
  });

  describe('proxy', () => {
    it('tunnels through a CONNECT proxy when asked to proxy loopback, and the request still verifies', async () => {
      const cloud = await server(replyJson({ Response: { TaskId: 't-1', RequestId: 'req-proxied' } }));
      const tunnel = await proxy('tunnel');
      const caller = client({ endpoint: cloud.url, proxy: { url: tunnel.url, proxyLoopback: true } });
      const reply = await caller.call({ service: 'mps', action: 'CreateAigcImageTask', params: { Prompt: '代理' } });
      assert.deepEqual(reply, { response: { TaskId: 't-1' }, requestId: 'req-proxied', target: { endpoint: cloud.url } });
      assert.deepEqual(tunnel.targets, [`127.0.0.1:${cloud.port}`]);
      const [request] = cloud.received as [Received];
      assert.equal(request.headers.authorization, sdkAuthorization(request, 'mps'));
      assert.equal(request.headers['proxy-authorization'], undefined, 'proxy credentials stay with the proxy');
    });

    it('goes direct to loopback unless asked, and for hosts in NO_PROXY', async () => {
      const cloud = await server(replyJson({ Response: { RequestId: 'req' } }));
      const tunnel = await proxy('tunnel');
      await client({ endpoint: cloud.url, proxy: { url: tunnel.url } }).call({ service: 'mps', action: 'CreateAigcImageTask', params: {} });
      await client({ endpoint: cloud.url, proxy: { url: tunnel.url, proxyLoopback: true, noProxy: ['example.com, 127.0.0.0/8'] } }).call({ service: 'mps', action: 'CreateAigcImageTask', params: {} });
      assert.equal(cloud.received.length, 2);
      assert.deepEqual(tunnel.targets, []);
    });

    it('sends the service domains through the proxy; a proxy that refuses the tunnel means nothing was sent', async () => {
      const refusing = await proxy('refuse');
      const caller = client({ proxy: { url: refusing.url } });
      const error = await rejection(caller.call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: {} }));
      assert.deepEqual(refusing.targets, ['hunyuan.tencentcloudapi.com:443']);
      assertLike(error, proxyRefusedError(403));
      assert.equal(error.mayHaveReachedServer, false);
      assert.match(error.explanation.en, /proxy refused to connect to Tencent Cloud \(HTTP 403\); nothing was sent/);
    });

    it('a proxy that is not running means nothing was sent', async () => {
      const port = await closedPort();
      const cloud = await server(replyJson({ Response: { RequestId: 'req' } }));
      const error = await rejection(client({ endpoint: cloud.url, proxy: { url: `http://127.0.0.1:${port}`, proxyLoopback: true } }).call({ service: 'aiart', action: 'ImageToImage', params: {} }));
      assertLike(error, networkError(new Error('x'), false));
      assert.equal(cloud.received.length, 0);
    });

    it('a proxy that never answers the CONNECT: a timeout before anything was sent', async () => {
      const silent = await proxy('hang');
      const error = await rejection(client({ proxy: { url: silent.url }, timeoutMs: 150 }).call({ service: 'aiart', action: 'ImageToImage', params: {} }));
      assert.deepEqual(silent.targets, ['aiart.tencentcloudapi.com:443']);
      assertLike(error, timeoutError(150, false));
    });

    it('refuses a proxy setting that is not an http(s) URL, without repeating it', () => {
      for (const bad of ['socks5://u:hunter2@127.0.0.1:1080', 'hunter2', 'http://']) {
        assert.throws(
          () => new TencentCloudClient({ credentials: () => CREDENTIALS, proxy: { url: bad } }),
          (e: StudioError) => e.code === 'Client.InvalidProxy' && !inspect(e, { depth: 5 }).includes('hunter2'),
          bad,
        );
      }
    });

    it('matches NO_PROXY entries the usual way', () => {
      const target = (url: string) => new URL(url);
      const proxied = (url: string, noProxy: string[], proxyLoopback = false) => shouldUseProxy(target(url), { url: 'http://p:1', noProxy, proxyLoopback });
      assert.equal(proxied('https://hunyuan.tencentcloudapi.com', []), true);
      assert.equal(proxied('https://hunyuan.tencentcloudapi.com', ['tencentcloudapi.com']), false, 'a domain covers its subdomains');
      assert.equal(proxied('https://hunyuan.tencentcloudapi.com', ['.tencentcloudapi.com']), false);
      assert.equal(proxied('https://hunyuan.tencentcloudapi.com', ['*.tencentcloudapi.com']), false);
      assert.equal(proxied('https://hunyuan.tencentcloudapi.com', ['cloudapi.com']), true, 'not a mere suffix of the name');
      assert.equal(proxied('https://hunyuan.tencentcloudapi.com', ['*']), false);
      assert.equal(proxied('https://hunyuan.tencentcloudapi.com', ['foo.com hunyuan.tencentcloudapi.com:443']), false);
      assert.equal(proxied('https://hunyuan.tencentcloudapi.com', ['hunyuan.tencentcloudapi.com:8443']), true, 'another port');
      assert.equal(proxied('https://10.1.2.3:8443', ['10.0.0.0/8']), false);
      assert.equal(proxied('https://11.1.2.3', ['10.0.0.0/8']), true);
      assert.equal(proxied('https://[fd00::5]', ['fd00::/8']), false);
      assert.equal(proxied('http://127.0.0.1:5', []), false, 'loopback is never proxied unless asked');
      assert.equal(proxied('http://127.0.0.1:5', [], true), true);
      assert.equal(proxied('http://127.0.0.1:5', ['<-loopback>']), true, "Chromium's <-loopback> rule proxies loopback too");
      assert.equal(proxied('http://localhost:5', ['example.com, <-loopback>']), true, 'also inside a comma-separated NO_PROXY value');
      assert.equal(proxied('http://127.0.0.1:5', ['<-loopback>', '127.0.0.1']), false, 'and an explicit entry still bypasses');
      assert.equal(proxied('https://hunyuan.tencentcloudapi.com', ['<-loopback>']), true, 'the rule itself matches no host');
    });
  });

  describe('against the simulated cloud (it verifies TC3 signatures itself)', () => {
    it('calls hunyuan, aiart and mps through one loopback URL, with a session token', async () => {
      const cloud = await startFakeCloud({ jobSeconds: 0, sessionToken: SESSION_TOKEN });
      closers.push(() => cloud.close());
      const caller = client({ endpoint: cloud.url, credentials: () => ({ ...TEST_CREDENTIALS, sessionToken: SESSION_TOKEN }), clock: Date.now });

      const submit = await caller.call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: { Prompt: '一只戴着宇航头盔的柴犬 🚀' } });
      assert.equal(typeof submit.response.JobId, 'string');
      assert.ok(submit.requestId.length > 0);
      const query = await caller.call({ service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: submit.response.JobId } });
      assert.equal(typeof query.response.JobStatusCode, 'string');
      const lite = await caller.call({ service: 'aiart', action: 'TextToImageLite', params: { Prompt: '雪山日出', RspImgType: 'url' } });
      assert.equal(typeof lite.response.ResultImage, 'string');
      const task = await caller.call({ service: 'mps', action: 'CreateAigcImageTask', params: { ModelName: 'Hunyuan', Prompt: 'a lighthouse in the rain' } });
      assert.equal(typeof task.response.TaskId, 'string');
      assert.deepEqual(cloud.stats().submits, { SubmitHunyuanImageJob: 1, TextToImageLite: 1, CreateAigcImageTask: 1 });
    });

    it('sends a call pinned to an earlier target there, whatever the client\'s own endpoint and region, and says where each call went', async () => {
      const settingsCloud = await startFakeCloud({ jobSeconds: 0 });
      const submitCloud = await startFakeCloud({ jobSeconds: 0 });
      closers.push(() => settingsCloud.close(), () => submitCloud.close());
      const caller = client({ endpoint: settingsCloud.url, region: 'ap-shanghai', credentials: () => TEST_CREDENTIALS, clock: Date.now });
      const submit = await caller.call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: { Prompt: 'a lighthouse' } });
      assert.deepEqual(submit.target, { endpoint: settingsCloud.url, region: 'ap-shanghai' });

      const pinned = { endpoint: submitCloud.url, region: 'ap-guangzhou' };
      const elsewhere = await caller.call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: { Prompt: 'a harbour' } }, { target: pinned });
      assert.deepEqual(elsewhere.target, pinned);
      assert.deepEqual(settingsCloud.stats().submits, { SubmitHunyuanImageJob: 1 });
      assert.deepEqual(submitCloud.stats().submits, { SubmitHunyuanImageJob: 1 }, 'the pinned call went to the pinned endpoint');
      const query = await caller.call({ service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: String(elsewhere.response.JobId) } }, { target: pinned });
      assert.equal(typeof query.response.JobStatusCode, 'string', 'the job is known where it was submitted');

      const broken = await rejection(caller.call({ service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: 'x' } }, { target: { endpoint: 'http://example.com/' } }));
      assert.equal(broken.kind, 'invalid', 'a stored target is checked like the setting: plain http only on loopback');
    });

    it('gets the cloud\'s AuthFailure.SignatureFailure, with its RequestId, for a wrong key', async () => {
      const cloud = await startFakeCloud({ jobSeconds: 0 });
      closers.push(() => cloud.close());
      const caller = client({ endpoint: cloud.url, credentials: () => ({ ...TEST_CREDENTIALS, secretKey: SECRET_KEY }), clock: Date.now });
      const error = await rejection(caller.call({ service: 'aiart', action: 'TextToImageLite', params: { Prompt: 'p' } }));
      assert.equal(error.code, 'AuthFailure.SignatureFailure');
      assert.ok(error.requestId);
      assert.ok(!inspect(error, { depth: 10 }).includes(SECRET_KEY));
      assert.deepEqual(cloud.stats().submits, {});
    });
  });

  describe('secrets', () => {
    it('appear in no error message or property, whatever fails', async () => {
      const credentials = () => ({ secretId: SECRET_ID, secretKey: SECRET_KEY, sessionToken: SESSION_TOKEN });
      const errors: StudioError[] = [];
      const collect = async (options: Partial<TencentClientOptions>, callOptions = {}) =>
        errors.push(await rejection(client({ credentials, ...options }).call({ service: 'hunyuan', action: 'SubmitHunyuanImageJob', params: { Prompt: 'p' } }, callOptions)));

      const reset = await server((req) => req.socket.destroy());
      const silent = await server(() => undefined);
      const failing = await server((_req, res) => res.writeHead(500).end());
      const garbled = await server(replyJson('{"Response":'));
      const refusing = await proxy('refuse');
      const hanging = await proxy('hang');
      await collect({ endpoint: reset.url });
      await collect({ endpoint: silent.url, timeoutMs: 100 });
      await collect({ endpoint: failing.url });
      await collect({ endpoint: garbled.url });
      await collect({ endpoint: `http://127.0.0.1:${await closedPort()}` });
      await collect({ proxy: { url: refusing.url } });
      await collect({ proxy: { url: hanging.url }, timeoutMs: 100 });
      await collect({ endpoint: `http://127.0.0.1:${await closedPort()}`, proxy: { url: `http://u:${PROXY_PASSWORD}@127.0.0.1:${await closedPort()}`, proxyLoopback: true } });
      const controller = new AbortController();
      controller.abort();
      await collect({ endpoint: silent.url }, { signal: controller.signal });

      assert.equal(errors.length, 9);
      for (const error of errors) {
        const everything = [error.message, error.stack, inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)].join('\n');
        for (const secret of [SECRET_KEY, SESSION_TOKEN, PROXY_PASSWORD]) {
          assert.ok(!everything.includes(secret), `${error.code} leaks a secret`);
        }
      }
    });
  });
});
