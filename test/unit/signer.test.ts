// TC3-HMAC-SHA256: the published vectors of tencent-api.md §1.8 byte for byte, and agreement with the
// official Node SDK's signer (the oracle) on generated cases.
import * as assert from 'node:assert/strict';
import { createServer, Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpConnection } from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/http/http_connection';
import Sign from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign';
import { deriveSigningKey, sha256Hex, signRequest, utcDate, type SignInput } from '../../src/core/tencent/signer';

/** The official signer over the exact bytes (a Buffer payload is hashed as is, not re-serialised). */
function sdkSign(input: SignInput, url: string, headers: Record<string, string> = {}): string {
  return Sign.sign3({
    method: 'POST',
    url,
    payload: Buffer.from(input.body),
    timestamp: input.timestamp,
    service: input.service,
    secretId: input.secretId,
    secretKey: input.secretKey,
    multipart: false,
    boundary: '',
    headers: { 'Content-Type': input.contentType, ...headers },
  });
}

/** mulberry32: a small seeded PRNG, so the generated cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('TC3 signer', () => {
  describe('vector A (Tencent "签名方法 v3" doc example)', () => {
    const input: SignInput = {
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      timestamp: 1551113065,
      body: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
      contentType: 'application/json; charset=utf-8',
      method: 'POST',
    };

    it('has the published 86-byte body', () => {
      assert.equal(Buffer.byteLength(input.body as string), 86);
    });

    it('matches every published intermediate and the signature', () => {
      const result = signRequest(input);
      assert.equal(result.hashedPayload, '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
      assert.equal(result.date, '2019-02-25');
      assert.equal(result.signedHeaders, 'content-type;host');
      assert.equal(
        result.canonicalRequest,
        'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n' +
          '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
      );
      assert.equal(sha256Hex(result.canonicalRequest), '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
      assert.equal(
        result.stringToSign,
        'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
      );
      const keys = deriveSigningKey(input.secretKey, result.date, input.service);
      assert.equal(keys.kDate.toString('hex'), 'f1cb4d518a0eda9d5cbbfdb7850983f1e603eeae484edea76e4dd8d8deb5556e');
      assert.equal(keys.kService.toString('hex'), 'e7c609ce81bea53546bed2cc904778bef9ca14082e48e67883443ed64e227cd7');
      assert.equal(keys.kSigning.toString('hex'), '8aa8ab5755582f576e94bcfe383b8e29325b0ca90c3590d569221c6a63a091ed');
      assert.equal(result.signature, '2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c');
      assert.equal(result.credentialScope, '2019-02-25/cvm/tc3_request');
      assert.equal(
        result.authorization,
        'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, ' +
          'SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
      );
    });

    it('gives the same result for the body as bytes', () => {
      const fromBytes = signRequest({ ...input, body: new TextEncoder().encode(input.body as string) });
      assert.equal(fromBytes.signature, '2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c');
    });

    it('variant: also signing x-tc-action (value lower-cased)', () => {
      const result = signRequest({ ...input, extraSignedHeaders: { 'X-TC-Action': 'DescribeInstances' } });
      assert.equal(result.signedHeaders, 'content-type;host;x-tc-action');
      assert.match(result.canonicalRequest, /\nx-tc-action:describeinstances\n\n/);
      assert.equal(result.signature, 'be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3');
    });

    it('variant: the same JSON with its keys re-ordered signs differently (the exact bytes count)', () => {
      const reordered = '{"Limit": 1, "Filters": [{"Name": "instance-name", "Values": ["\\u672a\\u547d\\u540d"]}]}';
      assert.deepEqual(JSON.parse(reordered), JSON.parse(input.body as string));
      assert.equal(signRequest({ ...input, body: reordered }).signature, 'b74c852d4dc00bdf326a77a4248dccf32f1a4d08ff6efc604f00c7057f193adb');
    });

    it('agrees with the official SDK', () => {
      assert.equal(sdkSign(input, 'https://cvm.tencentcloudapi.com'), signRequest(input).authorization);
    });
  });

  describe('vector B (official SDK unit test)', () => {
    const input: SignInput = {
      secretId: 'test-secret-id',
      secretKey: 'test-secret-key',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      timestamp: 1640995200,
      body: '{"Action":"DescribeInstances","Version":"2017-03-12"}',
      contentType: 'application/json',
      method: 'POST',
    };

    it('matches the published intermediates and signature', () => {
      const result = signRequest(input);
      assert.equal(result.date, '2022-01-01');
      assert.equal(result.hashedPayload, '8161d71add76597e6dc0e223286ca9a96dec0b7eca6e08f9364680387415b4dc');
      assert.equal(sha256Hex(result.canonicalRequest), '11b4984250df9d76592a8eb098c42d8c757bebef390e23479ceac3a58148f4d9');
      assert.equal(result.signature, '96473b50fe407833672a5d6d067238d88bb44c8abcc39ef83baa3132afbfadd3');
      assert.equal(
        result.authorization,
        'TC3-HMAC-SHA256 Credential=test-secret-id/2022-01-01/cvm/tc3_request, SignedHeaders=content-type;host, ' +
          'Signature=96473b50fe407833672a5d6d067238d88bb44c8abcc39ef83baa3132afbfadd3',
      );
      assert.equal(sdkSign(input, 'https://cvm.tencentcloudapi.com'), result.authorization);
    });
  });

  describe('the UTC date of the credential scope', () => {
    it('changes at 00:00 UTC, not at 00:00 Beijing time', () => {
      const utcMidnight = Date.UTC(2024, 2, 1) / 1000; // 2024-03-01T00:00:00Z, the day after a leap day
      assert.equal(utcDate(utcMidnight - 1), '2024-02-29');
      assert.equal(utcDate(utcMidnight), '2024-03-01');
      const beijingMidnight = Date.UTC(2024, 0, 1) / 1000 - 8 * 3600; // 2024-01-01T00:00+08:00
      assert.equal(utcDate(beijingMidnight), '2023-12-31');
      assert.equal(utcDate(beijingMidnight + 30 * 60), '2023-12-31');
    });

    it('refuses a timestamp that is not whole seconds', () => {
      const base: SignInput = { secretId: 'a', secretKey: 'b', service: 'mps', host: 'mps.tencentcloudapi.com', timestamp: 1.5, body: '', contentType: 'application/json', method: 'POST' };
      assert.throws(() => signRequest(base), RangeError);
      assert.throws(() => signRequest({ ...base, timestamp: Date.now() * 1000 }), RangeError);
    });
  });

  describe('agreement with the official SDK signer on generated cases', () => {
    const random = prng(0x7c3a11);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const ascii = (length: number) =>
      Array.from({ length }, () => String.fromCharCode(33 + Math.floor(random() * 94))).join('');
    const words = ['一只猫在月球上', '水墨山水，远山含黛', '赛博朋克城市夜景', '🐱🚀', '👩‍🎨🎨', '😀', 'a "quoted" \\ word', 'tab\tand\nnewline', 'naïve café', '𠀀𪚥'];
    const hosts = [
      { service: 'hunyuan', url: 'https://hunyuan.tencentcloudapi.com', host: 'hunyuan.tencentcloudapi.com' },
      { service: 'aiart', url: 'https://aiart.tencentcloudapi.com', host: 'aiart.tencentcloudapi.com' },
      { service: 'mps', url: 'https://mps.tencentcloudapi.com', host: 'mps.tencentcloudapi.com' },
      // An endpoint override: the host is signed without its port, with the action's real service.
      { service: 'hunyuan', url: 'http://127.0.0.1:43127/', host: '127.0.0.1' },
      { service: 'aiart', url: 'http://localhost:8080/', host: 'localhost' },
      { service: 'mps', url: 'http://127.0.0.1:9/', host: '127.0.0.1' },
    ];
    const days = [Date.UTC(2024, 1, 29), Date.UTC(2025, 0, 1), Date.UTC(2025, 11, 31), Date.UTC(2026, 5, 15)].map((ms) => ms / 1000);

    function body(): string {
      switch (Math.floor(random() * 5)) {
        case 0:
          return '';
        case 1:
          return JSON.stringify({ Prompt: Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(words)).join(' '), Seed: Math.floor(random() * 2 ** 32) });
        case 2:
          return JSON.stringify({ Prompt: pick(words), NegativePrompt: ascii(20), LogoAdd: Math.round(random()), Resolution: '1024:1024' });
        case 3:
          return JSON.stringify({ JobId: ascii(32) });
        default:
          return JSON.stringify({ ModelName: 'Hunyuan', Prompt: pick(words).repeat(1 + Math.floor(random() * 50)), ExtraParameters: { AspectRatio: '16:9' } });
      }
    }

    function timestamp(): number {
      const midnightUtc = pick(days);
      // Half the cases sit around 00:00 UTC, half around 00:00 Beijing time (16:00 UTC the day before).
      const centre = random() < 0.5 ? midnightUtc : midnightUtc - 8 * 3600;
      const offset = random() < 0.5 ? Math.floor(random() * 5) - 2 : Math.floor(random() * 7200) - 3600;
      return centre + offset;
    }

    const cases = Array.from({ length: 240 }, (_, index) => {
      const target = pick(hosts);
      const input: SignInput = {
        secretId: `AKID${ascii(32)}`,
        secretKey: ascii(32),
        service: target.service,
        host: target.host,
        timestamp: timestamp(),
        body: random() < 0.5 ? body() : Buffer.from(body(), 'utf8'),
        contentType: random() < 0.8 ? 'application/json' : 'application/json; charset=utf-8',
        method: 'POST',
      };
      const sessionToken = index % 2 === 0 ? ascii(48) : undefined;
      return { input, url: target.url, sessionToken };
    });

    it('covers what it claims to cover', () => {
      const bodies = cases.map((c) => Buffer.from(c.input.body).toString('utf8'));
      assert.ok(bodies.some((b) => b === ''), 'an empty body');
      assert.ok(bodies.some((b) => /[\u4e00-\u9fff]/.test(b)), 'a CJK body');
      assert.ok(bodies.some((b) => /\p{Extended_Pictographic}/u.test(b)), 'an emoji body');
      assert.ok(cases.some((c) => c.url.startsWith('http://127.0.0.1:')), 'a loopback override');
      const secondOfDay = (t: number, offsetHours: number) => (t + offsetHours * 3600) % 86400;
      for (const zone of [0, 8]) {
        assert.ok(cases.some((c) => secondOfDay(c.input.timestamp, zone) >= 86398), `just before 00:00 UTC+${zone}`);
        assert.ok(cases.some((c) => secondOfDay(c.input.timestamp, zone) <= 2), `at or just after 00:00 UTC+${zone}`);
      }
      assert.ok(cases.some((c) => utcDate(c.input.timestamp) !== utcDate(c.input.timestamp + 8 * 3600)), 'a UTC date that differs from the Beijing date');
      assert.ok(cases.some((c) => c.sessionToken) && cases.some((c) => !c.sessionToken), 'with and without a session token');
    });

    it('produces the same Authorization as the SDK in every case', () => {
      for (const { input, url, sessionToken } of cases) {
        // The token travels in the headers the SDK signs from; it must not change the signature.
        const sdkHeaders: Record<string, string> = sessionToken ? { 'X-TC-Token': sessionToken } : {};
        assert.equal(signRequest(input).authorization, sdkSign(input, url, sdkHeaders), `${url} @ ${input.timestamp}`);
      }
    });

    it('the SDK signature does not depend on the session token', () => {
      for (const { input, url, sessionToken } of cases.filter((c) => c.sessionToken)) {
        assert.equal(sdkSign(input, url, { 'X-TC-Token': sessionToken! }), sdkSign(input, url));
      }
    });
  });

  describe('what the official SDK sends with a session token', () => {
    it('carries the token as X-TC-Token and signs the request exactly as without it', async () => {
      const seen: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          seen.push({ headers: req.headers, body: Buffer.concat(chunks) });
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ Response: { RequestId: 'r-1' } }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const agent = new HttpAgent(); // an explicit agent keeps the SDK off any http_proxy in the environment
      try {
        const { port } = server.address() as AddressInfo;
        for (const token of ['sts-token-0123456789', undefined]) {
          await HttpConnection.doRequestWithSign3({
            method: 'POST',
            url: `http://127.0.0.1:${port}/`,
            data: { Prompt: '雨中的灯塔 🌧️' },
            service: 'hunyuan',
            action: 'SubmitHunyuanImageJob',
            region: 'ap-guangzhou',
            version: '2023-09-01',
            secretId: 'AKIDexample',
            secretKey: 'secret-key-example',
            token: token as string,
            requestClient: 'test',
            language: 'zh-CN',
            agent,
          });
        }
      } finally {
        agent.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }

      assert.equal(seen.length, 2);
      const [withToken, withoutToken] = seen as [(typeof seen)[0], (typeof seen)[0]];
      assert.equal(withToken.headers['x-tc-token'], 'sts-token-0123456789');
      assert.equal(withoutToken.headers['x-tc-token'], undefined);
      for (const request of seen) {
        const ours = signRequest({
          secretId: 'AKIDexample',
          secretKey: 'secret-key-example',
          service: 'hunyuan',
          host: '127.0.0.1',
          timestamp: Number(request.headers['x-tc-timestamp']),
          body: request.body,
          contentType: request.headers['content-type']!,
          method: 'POST',
        });
        assert.equal(request.headers.authorization, ours.authorization);
        assert.match(ours.signedHeaders, /^content-type;host$/);
      }
    });
  });
});
