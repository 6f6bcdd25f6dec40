// The error taxonomy: every documented Tencent Cloud error code has its own entry with a kind, a
// retry decision and a bilingual explanation + next step; unknown codes fall back by category;
// local failures (network, timeout...) explain themselves; no secret survives into an error.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  ERROR_CATALOG,
  cancelledError,
  cloudError,
  describeCode,
  httpStatusError,
  knownErrorCodes,
  malformedReplyError,
  missingCredentialsError,
  networkError,
  redactSecrets,
  timeoutError,
  validationError,
} from '../../src/core/tencent/error-catalog';
import type { Localized, StudioError } from '../../src/core/tencent/errors';

/** Every code tencent-api.md names in §2.2, §3.8, §4.7 and §5.4 (kept here so the test holds without the file). */
const DOCUMENTED_CODES = [
  // §2.2 common codes
  'ActionOffline', 'AuthFailure.InvalidAuthorization', 'AuthFailure.InvalidSecretId', 'AuthFailure.MFAFailure',
  'AuthFailure.SecretIdNotFound', 'AuthFailure.SignatureExpire', 'AuthFailure.SignatureFailure',
  'AuthFailure.TokenFailure', 'AuthFailure.UnauthorizedOperation', 'DryRunOperation', 'FailedOperation',
  'InternalError', 'InvalidAction', 'InvalidParameter', 'InvalidParameterValue', 'InvalidRequest', 'IpInBlacklist',
  'IpNotInWhitelist', 'LimitExceeded', 'MissingParameter', 'NoSuchProduct', 'NoSuchVersion', 'RequestLimitExceeded',
  'RequestLimitExceeded.GlobalRegionUinLimitExceeded', 'RequestLimitExceeded.IPLimitExceeded',
  'RequestLimitExceeded.UinLimitExceeded', 'RequestSizeLimitExceeded', 'ResponseSizeLimitExceeded', 'ResourceInUse',
  'ResourceInsufficient', 'ResourceNotFound', 'ResourceUnavailable', 'ServiceUnavailable', 'UnauthorizedOperation',
  'UnknownParameter', 'UnsupportedOperation', 'UnsupportedProtocol', 'UnsupportedRegion',
  // §3.8 hunyuan (including the job error code FailedOperation.DownloadError)
  'FailedOperation.DownloadError', 'FailedOperation.ImageDownloadError', 'FailedOperation.ImageDecodeFailed',
  'FailedOperation.GenerateImageFailed', 'OperationDenied.ImageIllegalDetected', 'OperationDenied.TextIllegalDetected',
  'InvalidParameterValue.ParameterValueError', 'InvalidParameter.InvalidParameter',
  'InvalidParameter.ImageCountLimitExceededError', 'InvalidParameter.ImageProcessingFailureError',
  'InvalidParameterValue.ImageRequestError', 'FailedOperation.ServiceNotActivated', 'FailedOperation.ResourcePackExhausted',
  'FailedOperation.FreeResourcePackExhausted', 'FailedOperation.ServiceStop', 'FailedOperation.ServiceStopArrears',
  'FailedOperation.UserUnAuthError', 'FailedOperation.PartnerAccountUnSupport', 'ResourceInsufficient.ChargeResourceExhaust',
  'ResourceUnavailable.InArrears', 'ResourceUnavailable.LowBalance', 'ResourceUnavailable.NotExist',
  'ResourceUnavailable.StopUsing', 'FailedOperation.EngineRequestTimeout', 'FailedOperation.EngineServerError',
  'FailedOperation.EngineServerLimitExceeded',
  // §4.7 aiart
  'FailedOperation.ConsoleServerError', 'FailedOperation.ImageResolutionExceed', 'FailedOperation.ImageSizeExceed',
  'FailedOperation.InnerError', 'FailedOperation.ServerError', 'FailedOperation.Unknown', 'FailedOperation.JobNotExist',
  'FailedOperation.ModerationFailed', 'FailedOperation.RequestEntityTooLarge', 'FailedOperation.RequestTimeout',
  'FailedOperation.RpcFail', 'InvalidParameterValue.ImageEmpty', 'InvalidParameterValue.LogoParamErr',
  'InvalidParameterValue.StyleConflict', 'InvalidParameterValue.TextLengthExceed', 'InvalidParameterValue.UrlIllegal',
  'RequestLimitExceeded.JobNumExceed', 'ResourceUnavailable.Delivering', 'ResourcesSoldOut.ChargeStatusException',
  // §5.4 mps
  'InvalidParameter.ViolationContent', 'FailedOperation.InvalidMpsUser', 'InvalidParameterValue.Definitions',
  'InvalidParameterValue.Limit', 'InvalidParameterValue.Type',
];

const API_DOC = join(__dirname, '../../../shared/tencent-api.md');
const CODE_NAME = /^[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)*$/;

/** The text of a `### n.m` section up to the next heading or rule. */
function section(doc: string, number: string): string {
  const start = doc.indexOf(`\n### ${number} `);
  assert.ok(start >= 0, `section ${number} exists in tencent-api.md`);
  const rest = doc.slice(start + 1);
  const end = rest.slice(4).search(/\n(?:#{2,3} |---)/);
  return end < 0 ? rest : rest.slice(0, end + 4);
}

/**
 * Backticked code names: from a table row only its first cell (bare names allowed); from prose
 * only dotted names. `.LowBalance` right after `ResourceUnavailable.InArrears` is shorthand for
 * `ResourceUnavailable.LowBalance`.
 */
function codesIn(text: string): string[] {
  const codes: string[] = [];
  for (const line of text.split('\n')) {
    const isRow = line.startsWith('|');
    const scope = isRow ? (line.split('|')[1] ?? '') : line;
    let category = '';
    for (const [, raw] of scope.matchAll(/`([^`]+)`/g)) {
      const name = raw!.startsWith('.') && category ? `${category}${raw}` : raw!;
      if (!CODE_NAME.test(name)) continue;
      category = name.split('.')[0]!;
      if (isRow || name.includes('.')) codes.push(name);
    }
  }
  return codes;
}

function documentedCodesFromFile(): string[] | undefined {
  if (!existsSync(API_DOC)) return undefined;
  const doc = readFileSync(API_DOC, 'utf8');
  return [...new Set(['2.2', '3.8', '4.7', '5.4'].flatMap((n) => codesIn(section(doc, n))))].sort();
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

function assertBilingual(label: string, text: Localized): void {
  assert.ok(text.en.trim().length > 0, `${label}: en is empty`);
  assert.ok(text.zh.trim().length > 0, `${label}: zh is empty`);
  assert.ok(CJK.test(text.zh), `${label}: zh has no Chinese: ${text.zh}`);
  assert.ok(!CJK.test(text.en), `${label}: en contains CJK: ${text.en}`);
}

function allText(error: StudioError): string {
  return [
    error.message,
    error.code,
    error.explanation.en,
    error.explanation.zh,
    error.nextStep.en,
    error.nextStep.zh,
    error.describe('en'),
    error.describe('zh'),
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
  ].join('\n');
}

describe('error catalog', () => {
  describe('coverage of the documented codes', () => {
    it('has an exact entry for every code in the explicit list', () => {
      const missing = DOCUMENTED_CODES.filter((code) => describeCode(code).match !== 'exact');
      assert.deepEqual(missing, []);
    });

    it('has an exact entry for every code tencent-api.md names in §2.2, §3.8, §4.7 and §5.4', function () {
      const fromFile = documentedCodesFromFile();
      if (!fromFile) this.skip();
      // The parser must actually find the codes, or this test would pass on nothing.
      assert.ok(fromFile.length >= 80, `only ${fromFile.length} codes extracted`);
      assert.ok(fromFile.includes('ResourceUnavailable.LowBalance'), 'shorthand `.LowBalance` expanded');
      assert.ok(fromFile.includes('FailedOperation.ServerError'), 'shorthand `.ServerError` expanded');
      assert.deepEqual(fromFile.filter((code) => !Object.hasOwn(ERROR_CATALOG, code)), []);
      // The explicit list stays in step with the document.
      assert.deepEqual(fromFile, [...new Set(DOCUMENTED_CODES)].sort());
    });

    it('knownErrorCodes lists every entry once, sorted', () => {
      const codes = knownErrorCodes();
      assert.deepEqual(codes, [...Object.keys(ERROR_CATALOG)].sort());
      assert.equal(new Set(codes).size, codes.length);
      for (const code of DOCUMENTED_CODES) assert.ok(codes.includes(code), code);
    });
  });

  describe('every entry', () => {
    it('has an explanation and a next step in English (no CJK) and Simplified Chinese (with CJK)', () => {
      for (const code of knownErrorCodes()) {
        const entry = describeCode(code);
        assertBilingual(`${code} explanation`, entry.explanation);
        assertBilingual(`${code} nextStep`, entry.nextStep);
      }
    });

    it('never marks an auth, permission, billing or moderation code retryable', () => {
      const offenders = knownErrorCodes().filter((code) => {
        const { kind, retryable } = describeCode(code);
        return retryable && ['auth', 'permission', 'billing', 'moderation'].includes(kind);
      });
      assert.deepEqual(offenders, []);
    });
  });

  describe('what the product requires the messages to say', () => {
    it('moderation refusals say content review refused the prompt or image and what to change', () => {
      for (const code of [
        'OperationDenied.TextIllegalDetected',
        'OperationDenied.ImageIllegalDetected',
        'FailedOperation.GenerateImageFailed',
        'FailedOperation.ModerationFailed',
        'InvalidParameter.ViolationContent',
      ]) {
        const entry = describeCode(code);
        assert.equal(entry.kind, 'moderation', code);
        assert.equal(entry.retryable, false, code);
        assert.match(entry.explanation.en, /content review refused/i, code);
        assert.match(entry.explanation.en, /prompt|image/i, code);
        assert.match(entry.explanation.zh, /审核/, code);
        assert.match(entry.nextStep.en, /rephrase the prompt|another (reference )?image|change the prompt/i, code);
      }
      assert.match(describeCode('OperationDenied.TextIllegalDetected').nextStep.en, /rephrase the prompt/i);
      assert.match(describeCode('OperationDenied.TextIllegalDetected').nextStep.zh, /提示词/);
      assert.match(describeCode('OperationDenied.ImageIllegalDetected').nextStep.en, /another reference image/i);
      const generated = describeCode('FailedOperation.GenerateImageFailed');
      assert.match(generated.explanation.en, /generated image/i);
      assert.match(generated.nextStep.en, /try again/i);
      assert.match(generated.nextStep.en, /change the prompt/i);
      assert.match(generated.nextStep.zh, /重试/);
    });

    it('service-not-activated codes say to activate the service and name the console', () => {
      const notExist = describeCode('ResourceUnavailable.NotExist');
      assert.match(notExist.nextStep.en, /activate/i);
      assert.match(notExist.nextStep.en, /Hunyuan/);
      assert.match(notExist.nextStep.en, /Image Creation Engine/);
      assert.match(notExist.nextStep.zh, /开通/);
      assert.match(notExist.nextStep.zh, /大模型图像创作引擎/);
      assert.match(notExist.nextStep.zh, /混元/);

      const hunyuan = describeCode('FailedOperation.ServiceNotActivated');
      assert.match(hunyuan.nextStep.en, /activate .*Hunyuan/i);
      assert.match(hunyuan.nextStep.zh, /混元.*开通/);

      const mps = describeCode('FailedOperation.InvalidMpsUser');
      assert.match(mps.nextStep.en, /activate MPS/i);
      assert.match(mps.nextStep.zh, /媒体处理 MPS 控制台.*开通/);
      for (const entry of [notExist, hunyuan, mps]) {
        assert.equal(entry.kind, 'billing', entry.code);
        assert.equal(entry.retryable, false, entry.code);
      }
    });

    it('SignatureExpire blames the computer\'s clock (more than 5 minutes off) and is not retried', () => {
      const entry = describeCode('AuthFailure.SignatureExpire');
      assert.equal(entry.kind, 'auth');
      assert.equal(entry.retryable, false);
      assert.match(entry.explanation.en, /clock/);
      assert.match(entry.explanation.en, /5 minutes/);
      assert.match(entry.explanation.zh, /时钟|时间/);
      assert.match(entry.nextStep.en, /clock/);
    });

    it('CAM refusals say the sub-account lacks the policy and the root account must attach it', () => {
      for (const code of ['AuthFailure.UnauthorizedOperation', 'UnauthorizedOperation']) {
        const entry = describeCode(code);
        assert.equal(entry.kind, 'permission', code);
        assert.equal(entry.retryable, false, code);
        assert.match(entry.explanation.en, /CAM policy/, code);
        assert.match(entry.nextStep.en, /root .*account.* attach/i, code);
        assert.match(entry.nextStep.en, /sub-account/, code);
        assert.match(entry.nextStep.zh, /主账号/, code);
        assert.match(entry.nextStep.zh, /子账号/, code);
        assert.match(entry.explanation.zh, /CAM|策略/, code);
      }
    });

    it('bad keys point at "Set Credentials"; TokenFailure says the temporary credentials expired', () => {
      for (const code of ['AuthFailure.SecretIdNotFound', 'AuthFailure.SignatureFailure', 'AuthFailure.InvalidSecretId']) {
        const entry = describeCode(code);
        assert.equal(entry.kind, 'auth', code);
        assert.equal(entry.retryable, false, code);
        assert.match(entry.nextStep.en, /SecretId and SecretKey/, code);
        assert.match(entry.nextStep.en, /"AIGC Image Studio: Set Credentials"/, code);
        assert.match(entry.nextStep.zh, /SecretId 和 SecretKey/, code);
      }
      const token = describeCode('AuthFailure.TokenFailure');
      assert.equal(token.retryable, false);
      assert.match(token.explanation.en, /temporary credentials/);
      assert.match(token.explanation.en, /expired/);
      assert.match(token.explanation.zh, /临时凭证.*过期/);
    });

    it('quota, balance and account-status codes say exactly that', () => {
      const expectations: Array<[string, RegExp, RegExp]> = [
        ['FailedOperation.FreeResourcePackExhausted', /free quota/i, /免费额度/],
        ['FailedOperation.ResourcePackExhausted', /resource pack .*used up/i, /资源包/],
        ['ResourceUnavailable.LowBalance', /balance is too low/i, /余额不足/],
        ['ResourceUnavailable.InArrears', /arrears/i, /欠费/],
        ['ResourceUnavailable.StopUsing', /suspended/i, /停用/],
        ['ResourceInsufficient.ChargeResourceExhaust', /used up/i, /耗尽/],
        ['FailedOperation.ServiceStop', /stopped/i, /停用/],
        ['FailedOperation.ServiceStopArrears', /arrears/i, /欠费/],
        ['FailedOperation.UserUnAuthError', /real-name verification/i, /实名认证/],
      ];
      for (const [code, en, zh] of expectations) {
        const entry = describeCode(code);
        assert.equal(entry.kind, 'billing', code);
        assert.equal(entry.retryable, false, code);
        assert.match(entry.explanation.en, en, code);
        assert.match(entry.explanation.zh, zh, code);
      }
    });

    it('JobNumExceed: too many jobs for the concurrency, queued by the extension, add-on pack raises it', () => {
      const entry = describeCode('RequestLimitExceeded.JobNumExceed');
      assert.equal(entry.kind, 'concurrency');
      assert.equal(entry.retryable, true);
      assert.match(entry.explanation.en, /too many jobs .*at once/i);
      assert.match(entry.explanation.en, /concurrency/);
      assert.match(entry.nextStep.en, /queued/);
      assert.match(entry.nextStep.en, /concurrency add-on pack/);
      assert.match(entry.nextStep.zh, /排队/);
      assert.match(entry.nextStep.zh, /并发叠加包/);
    });
  });

  describe('retry decisions of the key codes', () => {
    it('retries rate limits, JobNumExceed, internal and unavailable errors and engine timeouts', () => {
      for (const code of [
        'RequestLimitExceeded',
        'RequestLimitExceeded.UinLimitExceeded',
        'RequestLimitExceeded.GlobalRegionUinLimitExceeded',
        'RequestLimitExceeded.IPLimitExceeded',
        'RequestLimitExceeded.JobNumExceed',
        'InternalError',
        'ServiceUnavailable',
        'FailedOperation.EngineRequestTimeout',
        'FailedOperation.EngineServerError',
        'FailedOperation.EngineServerLimitExceeded',
        'FailedOperation.RequestTimeout',
        'FailedOperation.InnerError',
        'FailedOperation.RpcFail',
      ]) {
        assert.equal(describeCode(code).retryable, true, code);
      }
      assert.equal(describeCode('RequestLimitExceeded').kind, 'rateLimit');
    });

    it('does not retry clock, credential, quota, invalid-parameter or moderation failures', () => {
      for (const code of [
        'AuthFailure.SignatureExpire',
        'AuthFailure.SignatureFailure',
        'AuthFailure.TokenFailure',
        'LimitExceeded',
        'FailedOperation',
        'InvalidParameterValue.ParameterValueError',
        'InvalidParameterValue.TextLengthExceed',
        'FailedOperation.GenerateImageFailed',
        'FailedOperation.JobNotExist',
        'ResourceUnavailable.NotExist',
      ]) {
        assert.equal(describeCode(code).retryable, false, code);
      }
    });
  });

  describe('codes not in the table', () => {
    const cases: Array<[string, string, boolean]> = [
      ['AuthFailure.SomethingNew', 'auth', false],
      ['RequestLimitExceeded.SomethingNew', 'rateLimit', true],
      ['OperationDenied.SomethingNew', 'moderation', false],
      ['InvalidParameter.SomethingNew', 'invalid', false],
      ['InvalidParameterValue.SomethingNew', 'invalid', false],
      ['MissingParameter.SomethingNew', 'invalid', false],
      ['UnknownParameter.SomethingNew', 'invalid', false],
      ['ResourceUnavailable.SomethingNew', 'billing', false],
      ['ResourcesSoldOut.SomethingNew', 'billing', false],
      ['FailedOperation.SomethingNew', 'server', false],
      ['InternalError.SomethingNew', 'server', true],
      ['ServiceUnavailable.SomethingNew', 'server', true],
      ['UnauthorizedOperation.SomethingNew', 'permission', false],
    ];
    for (const [code, kind, retryable] of cases) {
      it(`${code} falls back to its category: ${kind}, retryable ${retryable}`, () => {
        const entry = describeCode(code);
        assert.equal(entry.match, 'category');
        assert.equal(entry.kind, kind);
        assert.equal(entry.retryable, retryable);
        const error = cloudError(code, 'The cloud explains it here.', 'req-1');
        assert.equal(error.code, code);
        assert.equal(error.kind, kind);
        assert.ok(error.explanation.en.includes('The cloud explains it here.'), error.explanation.en);
        assert.ok(error.explanation.zh.includes('The cloud explains it here.'), error.explanation.zh);
        assert.ok(error.describe().includes(code));
      });
    }

    it('an unknown category is a non-retryable server error that shows the cloud\'s message and code', () => {
      const entry = describeCode('BrandNewCategory.Thing');
      assert.equal(entry.match, 'unknown');
      assert.equal(entry.kind, 'server');
      assert.equal(entry.retryable, false);
      const error = cloudError('BrandNewCategory.Thing', '新的错误信息', 'req-2');
      assert.ok(error.explanation.zh.includes('新的错误信息'));
      assert.ok(error.describe('zh').includes('BrandNewCategory.Thing'));
    });

    it('inherited object keys are not mistaken for codes', () => {
      assert.equal(describeCode('constructor').match, 'unknown');
      assert.equal(describeCode('toString.x').match, 'unknown');
    });

    it('a failed job without a code is a generic cloud failure that keeps its message', () => {
      const error = cloudError('', 'task failed: model busy', undefined, 'job-9');
      assert.equal(error.code, 'FailedOperation');
      assert.equal(error.kind, 'server');
      assert.equal(error.jobId, 'job-9');
      assert.ok(error.explanation.en.includes('task failed: model busy'));
    });
  });

  describe('cloudError', () => {
    it('carries the code, message, ids and the entry\'s texts; describe() names the RequestId', () => {
      const error = cloudError('AuthFailure.SignatureExpire', 'Signature expired.', 'a1b2-c3d4', 'job-7');
      assert.equal(error.name, 'StudioError');
      assert.equal(error.kind, 'auth');
      assert.equal(error.code, 'AuthFailure.SignatureExpire');
      assert.equal(error.message, 'Signature expired.');
      assert.equal(error.requestId, 'a1b2-c3d4');
      assert.equal(error.jobId, 'job-7');
      assert.equal(error.retryable, false);
      assert.deepEqual(error.nextStep, describeCode('AuthFailure.SignatureExpire').nextStep);
      for (const lang of ['en', 'zh'] as const) {
        const line = error.describe(lang);
        assert.ok(line.includes('RequestId a1b2-c3d4'), line);
        assert.ok(line.includes('JobId job-7'), line);
        assert.ok(line.includes('AuthFailure.SignatureExpire'), line);
        assert.ok(line.includes(error.explanation[lang]), line);
      }
    });

    it('quotes the cloud\'s message where the code alone does not say what to fix', () => {
      const error = cloudError('InvalidParameterValue.ParameterValueError', 'Resolution 999:1 is not supported', 'r');
      assert.equal(error.kind, 'invalid');
      assert.ok(error.explanation.en.includes('Resolution 999:1 is not supported'));
      assert.ok(error.explanation.zh.includes('Resolution 999:1 is not supported'));
    });

    it('never passes a credential in the cloud\'s message on', () => {
      const secretId = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE1';
      const secretKey = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLEk';
      const error = cloudError(
        'FailedOperation.SomethingNew',
        `bad request from ${secretId} with SecretKey=${secretKey} and ${secretKey}`,
        'req',
      );
      const text = allText(error);
      assert.ok(!text.includes(secretId), text);
      assert.ok(!text.includes(secretKey), text);
      assert.ok(text.includes('bad request from'), 'the rest of the message is kept');
    });
  });

  describe('redactSecrets', () => {
    it('masks key ids, signatures, named secrets, proxy passwords and opaque tokens, and keeps ordinary text', () => {
      const input = [
        'Credential=AKIDabcdef1234567890/2024-01-01/hunyuan/tc3_request, Signature=0123456789abcdef0123',
        'secretKey: "hunter2hunter2"',
        'X-TC-Token=temporary.token-value',
        'proxy http://alice:s3cret@proxy.example:8080',
        'key Zx9Yw8Xv7Ut6Ts5Rq4Po3Nm2Lk1Ji0Hg',
        'RequestId 6b1d2c3e-1111-2222-3333-444455556666, JobId 251197749-1731412663-d4e1f224-0',
      ].join('\n');
      const out = redactSecrets(input);
      for (const secret of ['AKIDabcdef1234567890', '0123456789abcdef0123', 'hunter2hunter2', 'temporary.token-value', 's3cret', 'Zx9Yw8Xv7Ut6Ts5Rq4Po3Nm2Lk1Ji0Hg']) {
        assert.ok(!out.includes(secret), `${secret} survived: ${out}`);
      }
      assert.ok(out.includes('6b1d2c3e-1111-2222-3333-444455556666'), 'RequestIds stay');
      assert.ok(out.includes('251197749-1731412663-d4e1f224-0'), 'JobIds stay');
      assert.ok(out.includes('proxy.example:8080'), 'the proxy host stays');
    });

    it('keeps prose after a key name readable, and masks any password value however short', () => {
      assert.equal(redactSecrets('The cloud does not know this SecretId: the key does not exist.'), 'The cloud does not know this SecretId: the key does not exist.');
      assert.equal(redactSecrets('token: expired'), 'token: expired');
      assert.equal(redactSecrets('SecretKey=Gu5t9xGARNpq86cd98joQYCN3abc'), 'SecretKey=***');
      assert.equal(redactSecrets('password=abc'), 'password=***');
    });
  });

  describe('local failures', () => {
    const secretKey = 'test-secret-key-DO-NOT-LEAK';
    const causeWithSecrets = (): unknown => {
      const inner = Object.assign(new Error(`read ECONNRESET while sending SecretKey ${secretKey}`), { code: 'ECONNRESET' });
      return new TypeError(`fetch failed for https://user:${secretKey}@proxy.local/`, { cause: inner });
    };

    it('networkError before sending: retryable, points at the connection and http.proxy', () => {
      const error = networkError(causeWithSecrets(), false);
      assert.equal(error.kind, 'network');
      assert.equal(error.retryable, true);
      assert.equal(error.mayHaveReachedServer, false);
      assert.match(error.explanation.en, /not sent/);
      assert.match(error.nextStep.en, /http\.proxy/);
      assert.match(error.nextStep.zh, /http\.proxy/);
      assert.match(error.message, /TypeError > ECONNRESET/);
      assertBilingual('network explanation', error.explanation);
      assertBilingual('network nextStep', error.nextStep);
    });

    it('networkError after sending: says the job may have been created and billed and is not resent', () => {
      const error = networkError(causeWithSecrets(), true);
      assert.equal(error.retryable, false);
      assert.equal(error.mayHaveReachedServer, true);
      assert.match(error.explanation.en, /may have been created and will be billed/);
      assert.match(error.explanation.en, /not resent automatically/);
      assert.match(error.explanation.zh, /计费/);
      assert.match(error.explanation.zh, /不会自动重发/);
      assert.match(error.nextStep.en, /http\.proxy/);
    });

    it('no factory output contains a secret that came in as part of a cause or detail', () => {
      const outputs = [
        networkError(causeWithSecrets(), false),
        networkError(causeWithSecrets(), true),
        networkError(`plain string cause ${secretKey}`, false),
        malformedReplyError(`Unexpected token in {"SecretKey":"${secretKey}"}`, 'req-3'),
      ];
      for (const error of outputs) {
        const text = allText(error);
        assert.ok(!text.includes(secretKey), text);
        assert.ok(!text.includes('DO-NOT-LEAK'), text);
      }
    });

    it('timeoutError states the wait and, when the request may have arrived, the billing risk', () => {
      const early = timeoutError(30_000, false);
      assert.equal(early.kind, 'timeout');
      assert.equal(early.retryable, true);
      assert.match(early.explanation.en, /30 s/);
      assert.match(early.explanation.zh, /30 秒/);
      const late = timeoutError(1_500, true);
      assert.equal(late.retryable, false);
      assert.equal(late.mayHaveReachedServer, true);
      assert.match(late.explanation.en, /1\.5 s/);
      assert.match(late.explanation.en, /billed/);
      assert.match(late.explanation.zh, /不会自动重发/);
    });

    it('cancelledError says a submitted job may still finish and be billed', () => {
      const error = cancelledError();
      assert.equal(error.kind, 'cancelled');
      assert.equal(error.retryable, false);
      assert.match(error.nextStep.en, /may still finish .*billed/);
      assert.match(error.nextStep.zh, /计费/);
    });

    it('httpStatusError: 5xx retryable server errors, 407 a proxy problem, other 4xx not retried', () => {
      const unavailable = httpStatusError(503, 'req-5');
      assert.equal(unavailable.kind, 'server');
      assert.equal(unavailable.retryable, true);
      assert.equal(unavailable.mayHaveReachedServer, true);
      assert.equal(unavailable.code, 'Client.HttpStatus503');
      assert.match(unavailable.explanation.en, /HTTP 503/);
      assert.ok(unavailable.describe().includes('RequestId req-5'));
      const proxy = httpStatusError(407);
      assert.equal(proxy.kind, 'network');
      assert.match(proxy.nextStep.en, /http\.proxy/);
      assert.equal(httpStatusError(404).retryable, false);
      assert.equal(httpStatusError(429).kind, 'rateLimit');
      assert.equal(httpStatusError(413).kind, 'invalid');
      for (const status of [301, 403, 404, 407, 413, 429, 500, 502]) {
        const error = httpStatusError(status);
        assertBilingual(`HTTP ${status} explanation`, { en: error.explanation.en, zh: error.explanation.zh });
        assertBilingual(`HTTP ${status} nextStep`, error.nextStep);
      }
    });

    it('malformedReplyError keeps the detail and RequestId and is not retried', () => {
      const error = malformedReplyError('Response.RequestId missing', 'req-6');
      assert.equal(error.retryable, false);
      assert.equal(error.mayHaveReachedServer, true);
      assert.equal(error.message, 'Response.RequestId missing');
      assert.ok(error.describe('zh').includes('RequestId req-6'));
      assertBilingual('malformed explanation', error.explanation);
    });

    it('missingCredentialsError names the Set Credentials command and the environment variables', () => {
      const error = missingCredentialsError();
      assert.equal(error.kind, 'auth');
      assert.equal(error.retryable, false);
      for (const text of [error.nextStep.en, error.nextStep.zh]) {
        assert.match(text, /AIGC Image Studio: Set Credentials/);
        assert.match(text, /TENCENTCLOUD_SECRET_ID/);
        assert.match(text, /TENCENTCLOUD_SECRET_KEY/);
      }
      assertBilingual('missing credentials explanation', error.explanation);
    });

    it('validationError passes our own code and texts through as an invalid, non-retryable error', () => {
      const explanation = { en: 'The prompt is longer than 1024 characters.', zh: '提示词超过 1024 个字符。' };
      const nextStep = { en: 'Shorten the prompt.', zh: '请缩短提示词。' };
      const error = validationError('Client.PromptTooLong', explanation, nextStep);
      assert.equal(error.kind, 'invalid');
      assert.equal(error.code, 'Client.PromptTooLong');
      assert.equal(error.retryable, false);
      assert.deepEqual(error.explanation, explanation);
      assert.deepEqual(error.nextStep, nextStep);
    });
  });
});
