import * as assert from 'node:assert/strict';
import { getProvider, listModels } from '../../src/core/providers/catalog';
import type { GenerationRequest, JobStatus, ModelId, ReferenceImage } from '../../src/core/providers/types';
import { MAX_BODY_BYTES } from '../../src/core/providers/validate';
import { TencentCloudClient } from '../../src/core/tencent/client';
import { StudioError } from '../../src/core/tencent/errors';
import { startFakeCloud, TEST_CREDENTIALS, type FakeCloud } from '../fake-cloud/index';
import { makeBmp, makeGif, makeJpeg, makePng, makeTiff, makeWebpLossy } from './fixtures/images';

const HOUR = 3_600_000;
const NOW = 1_750_000_000_000;
const MiB = 1024 * 1024;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const image = (bytes: Uint8Array, name?: string): ReferenceImage => (name ? { bytes, name } : { bytes });

function build(modelId: ModelId, request: Omit<GenerationRequest, 'modelId'>) {
  return getProvider(modelId).buildSubmit({ modelId, ...request });
}

/** Asserts a validation error with `code` whose English and Chinese texts contain every `mention`. */
function assertInvalid(fn: () => unknown, code: string, ...mentions: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StudioError, `a StudioError, got ${String(e)}`);
    assert.equal(e.kind, 'invalid');
    assert.equal(e.code, code, e.explanation.en);
    for (const m of mentions) {
      assert.ok(e.explanation.en.includes(m), `en "${e.explanation.en}" mentions ${m}`);
      assert.ok(e.explanation.zh.includes(m), `zh "${e.explanation.zh}" mentions ${m}`);
    }
    assert.ok(e.nextStep.en && e.nextStep.zh);
    return true;
  });
}

/** A string of `n` characters from `unit` (CJK and emoji are one character each, two UTF-16 units for emoji). */
const chars = (unit: string, n: number) => unit.repeat(n);

function assertPromptLimit(modelId: ModelId, limit: number, extra: Omit<GenerationRequest, 'modelId' | 'prompt'> = {}): void {
  for (const unit of ['a', '猫', '😀']) {
    assert.doesNotThrow(() => build(modelId, { ...extra, prompt: chars(unit, limit) }), `${limit} × ${unit}`);
    assertInvalid(() => build(modelId, { ...extra, prompt: chars(unit, limit + 1) }), 'Client.PromptTooLong', formatted(limit + 1), formatted(limit));
  }
}

const formatted = (n: number) => n.toLocaleString('en-US');

function query(modelId: ModelId, response: Record<string, unknown>): JobStatus {
  return getProvider(modelId).parseQuery(response, 'req-q', 'job-1', NOW);
}

/** Smallest byte length whose base64 text reaches `limit` (so one byte less stays below it). */
const firstBytesAtBase64 = (limit: number) => (limit / 4) * 3 - 2;

describe('providers', () => {
  describe('hunyuan SubmitHunyuanImageJob', () => {
    const id = 'hunyuan-image-job';

    it('builds every documented field of a full request', () => {
      const ref = makePng(64, 48);
      const call = build(id, {
        prompt: '  雨中的竹林  ',
        negativePrompt: '人物',
        style: 'shuimo',
        resolution: '768:1024',
        count: 4,
        seed: 42,
        watermark: false,
        revise: false,
        referenceImages: [image(ref)],
      });
      assert.deepEqual(call, {
        service: 'hunyuan',
        action: 'SubmitHunyuanImageJob',
        params: {
          Prompt: '雨中的竹林',
          NegativePrompt: '人物',
          Style: 'shuimo',
          Resolution: '768:1024',
          Num: 4,
          ContentImage: { ImageBase64: b64(ref) },
          Revise: 0,
          Seed: 42,
          LogoAdd: 0,
        },
      });
    });

    it('applies the defaults: 1024:1024, one image, the AI mark on, no style', () => {
      assert.deepEqual(build(id, { prompt: 'cat' }).params, { Prompt: 'cat', Resolution: '1024:1024', Num: 1, LogoAdd: 1 });
    });

    it('with a reference image leaves the resolution to the service and accepts only the reduced set', () => {
      const ref = [image(makeJpeg(80, 60))];
      assert.equal('Resolution' in build(id, { prompt: 'cat', referenceImages: ref }).params, false);
      assert.doesNotThrow(() => build(id, { prompt: 'cat', resolution: '720:1280' }));
      assertInvalid(() => build(id, { prompt: 'cat', resolution: '720:1280', referenceImages: ref }), 'Client.ResolutionUnsupported', '720:1280', '1024:1024');
      assert.doesNotThrow(() => build(id, { prompt: 'cat', resolution: '1024:768', referenceImages: ref }));
    });

    it('limits the prompt to 1,024 characters, counting CJK and emoji as one each', () => {
      assertPromptLimit(id, 1024);
      assertInvalid(() => build(id, { prompt: chars('猫', 1300) }), 'Client.PromptTooLong', '1,300', '1,024', 'SubmitHunyuanImageJob');
    });

    it('refuses an empty prompt and a negative prompt over 1,024 characters', () => {
      assertInvalid(() => build(id, { prompt: ' \n\t ' }), 'Client.PromptEmpty');
      assert.doesNotThrow(() => build(id, { prompt: 'cat', negativePrompt: chars('狗', 1024) }));
      assertInvalid(() => build(id, { prompt: 'cat', negativePrompt: chars('狗', 1025) }), 'Client.NegativePromptTooLong', '1,025', '1,024');
    });

    it('takes 1 to 4 images, known styles, and seeds from 1 to 4294967295', () => {
      assert.equal(build(id, { prompt: 'cat', count: 4 }).params['Num'], 4);
      assertInvalid(() => build(id, { prompt: 'cat', count: 5 }), 'Client.CountOutOfRange', '5', '4');
      assertInvalid(() => build(id, { prompt: 'cat', count: 0 }), 'Client.CountOutOfRange');
      assertInvalid(() => build(id, { prompt: 'cat', style: 'vaporwave' }), 'Client.StyleUnknown', 'vaporwave', 'riman');
      assert.equal(build(id, { prompt: 'cat', seed: 4294967295 }).params['Seed'], 4294967295);
      assertInvalid(() => build(id, { prompt: 'cat', seed: 4294967296 }), 'Client.SeedOutOfRange', '4,294,967,295');
      assertInvalid(() => build(id, { prompt: 'cat', seed: 0 }), 'Client.SeedOutOfRange');
      assertInvalid(() => build(id, { prompt: 'cat', seed: 1.5 }), 'Client.SeedOutOfRange');
    });

    it('accepts only a JPEG or PNG reference, one of them, each side under 5,000 px', () => {
      assertInvalid(() => build(id, { prompt: 'cat', referenceImages: [image(makeWebpLossy(100, 100), 'a.webp')] }), 'Client.ImageFormatUnsupported', 'a.webp', 'WebP', 'JPEG, PNG');
      assertInvalid(() => build(id, { prompt: 'cat', referenceImages: [image(makePng(10, 10)), image(makePng(10, 10))] }), 'Client.TooManyReferenceImages', '2', '1');
      assert.doesNotThrow(() => build(id, { prompt: 'cat', referenceImages: [image(makePng(4999, 2))] }));
      assertInvalid(() => build(id, { prompt: 'cat', referenceImages: [image(makePng(5000, 2))] }), 'Client.ImageDimensionsOutOfRange', '5000×2', '5,000');
    });

    it('submits, then queries by JobId', () => {
      const provider = getProvider(id);
      assert.equal(provider.parseSubmit({ JobId: '1309-abc-0' }), '1309-abc-0');
      assert.deepEqual(provider.buildQuery('1309-abc-0'), { service: 'hunyuan', action: 'QueryHunyuanImageJob', params: { JobId: '1309-abc-0' } });
      assert.throws(() => provider.parseSubmit({ JobId: null }), (e: unknown) => e instanceof StudioError && e.code === 'Client.MalformedReply');
      assert.throws(() => provider.parseSubmit({}), (e: unknown) => e instanceof StudioError && e.code === 'Client.MalformedReply');
      assert.throws(() => provider.parseSync({ ResultImage: 'x' }, 'r', NOW), /parseSync called on job model/);
    });

    it('reads every job status code', () => {
      assert.deepEqual(query(id, { JobStatusCode: '1', JobStatusMsg: '排队中' }), { state: 'queued', requestId: 'req-q' });
      assert.deepEqual(query(id, { JobStatusCode: '2', JobStatusMsg: '处理中', ResultImage: null }), { state: 'running', requestId: 'req-q' });

      const failed = query(id, { JobStatusCode: '4', JobErrorCode: 'FailedOperation.GenerateImageFailed', JobErrorMsg: 'image refused', ResultImage: null });
      assert.equal(failed.state, 'failed');
      assert.ok(failed.state === 'failed');
      assert.deepEqual([failed.error.code, failed.error.message, failed.error.requestId, failed.error.jobId], ['FailedOperation.GenerateImageFailed', 'image refused', 'req-q', 'job-1']);

      const done = query(id, {
        JobStatusCode: '5',
        JobStatusMsg: '处理完成',
        JobErrorCode: null,
        JobErrorMsg: null,
        ResultImage: ['https://cos.example/1.png', 'https://cos.example/2.png'],
        ResultDetails: ['Success', 'Success'],
        RevisedPrompt: ['雨中的竹林，水墨风格'],
      });
      assert.deepEqual(done, {
        state: 'done',
        result: {
          images: [
            { kind: 'url', url: 'https://cos.example/1.png' },
            { kind: 'url', url: 'https://cos.example/2.png' },
          ],
          requestId: 'req-q',
          jobId: 'job-1',
          expiresAt: NOW + HOUR,
          revisedPrompt: '雨中的竹林，水墨风格',
          details: ['Success', 'Success'],
        },
      });
    });

    it('treats a done job whose every image failed, or that has no image, as failed, and keeps the good ones of a mixed result', () => {
      const allFailed = query(id, { JobStatusCode: '5', ResultImage: [''], ResultDetails: ['FailedOperation.GenerateImageFailed'] });
      assert.ok(allFailed.state === 'failed');
      assert.equal(allFailed.error.code, 'FailedOperation.GenerateImageFailed');
      assert.equal(allFailed.error.jobId, 'job-1');

      const freeText = query(id, { JobStatusCode: '5', ResultImage: ['https://cos.example/1.png'], ResultDetails: ['图片审核不通过'] });
      assert.ok(freeText.state === 'failed');
      assert.equal(freeText.error.code, 'Client.NoResultImage');
      assert.match(freeText.error.message, /图片审核不通过/);

      const none = query(id, { JobStatusCode: '5', ResultImage: null, ResultDetails: null, RevisedPrompt: null });
      assert.ok(none.state === 'failed');
      assert.match(none.error.message, /no image/);

      const mixed = query(id, { JobStatusCode: '5', ResultImage: ['https://cos.example/1.png', 'https://cos.example/2.png'], ResultDetails: ['FailedOperation.GenerateImageFailed', 'Success'] });
      assert.ok(mixed.state === 'done');
      assert.deepEqual(mixed.result.images, [{ kind: 'url', url: 'https://cos.example/2.png' }]);
    });

    it('throws a malformed-reply error for an unknown status or wrong field types', () => {
      const malformed = (e: unknown) => e instanceof StudioError && e.code === 'Client.MalformedReply' && e.requestId === 'req-q';
      assert.throws(() => query(id, { JobStatusCode: '3' }), malformed);
      assert.throws(() => query(id, {}), malformed);
      assert.throws(() => query(id, { JobStatusCode: '5', ResultImage: 'https://not-a-list' }), malformed);
    });
  });

  describe('hunyuan TextToImageLite', () => {
    const id = 'hunyuan-text-to-image-lite';

    it('builds every documented field, asking for base64', () => {
      assert.deepEqual(build(id, { prompt: '山水', negativePrompt: '人', style: '101', resolution: '1080:1920', watermark: false }), {
        service: 'hunyuan',
        action: 'TextToImageLite',
        params: { Prompt: '山水', NegativePrompt: '人', Style: '101', Resolution: '1080:1920', LogoAdd: 0, RspImgType: 'base64' },
      });
      assert.deepEqual(build(id, { prompt: '山水' }).params, { Prompt: '山水', Style: '201', Resolution: '768:768', LogoAdd: 1, RspImgType: 'base64' });
    });

    it('limits prompt and negative prompt to 256 characters and refuses sizes and images it does not take', () => {
      assertPromptLimit(id, 256);
      assertInvalid(() => build(id, { prompt: 'a', negativePrompt: chars('😀', 257) }), 'Client.NegativePromptTooLong', '257', '256');
      assertInvalid(() => build(id, { prompt: 'a', resolution: '2048:2048' }), 'Client.ResolutionUnsupported', '2048:2048');
      assertInvalid(() => build(id, { prompt: 'a', referenceImages: [image(makePng(100, 100))] }), 'Client.ReferenceImageUnsupported', 'TextToImageLite');
      assertInvalid(() => build(id, { prompt: 'a', count: 2 }), 'Client.CountOutOfRange', '2', '1');
    });

    it('reads a base64 reply (no expiry) and a URL reply (1 hour), with null fields as absent', () => {
      const provider = getProvider(id);
      assert.deepEqual(provider.parseSync({ ResultImage: 'iVBORw0KGgo=', Seed: null }, 'req-1', NOW), { images: [{ kind: 'base64', data: 'iVBORw0KGgo=' }], requestId: 'req-1' });
      assert.deepEqual(provider.parseSync({ ResultImage: 'https://cos.example/r.png' }, 'req-2', NOW), {
        images: [{ kind: 'url', url: 'https://cos.example/r.png' }],
        requestId: 'req-2',
        expiresAt: NOW + HOUR,
      });
      assert.throws(() => provider.parseSync({ ResultImage: null }, 'req-3', NOW), (e: unknown) => e instanceof StudioError && e.code === 'Client.MalformedReply' && e.requestId === 'req-3');
      assert.throws(() => provider.parseSubmit({ JobId: 'x' }), /parseSubmit called on sync model/);
    });
  });

  describe('aiart ImageToImage (style transfer)', () => {
    const id = 'aiart-image-to-image';
    const photo = makeJpeg(600, 400);

    it('builds every documented field of a full request', () => {
      assert.deepEqual(build(id, { prompt: '更亮一些', negativePrompt: '模糊', style: '130', resolution: '768:1024', watermark: false, strength: 0.7, referenceImages: [image(photo)] }), {
        service: 'aiart',
        action: 'ImageToImage',
        params: {
          InputImage: b64(photo),
          Prompt: '更亮一些',
          NegativePrompt: '模糊',
          Styles: ['130'],
          ResultConfig: { Resolution: '768:1024' },
          LogoAdd: 0,
          Strength: 0.7,
          RspImgType: 'base64',
        },
      });
    });

    it('defaults to style 201 and the original size, and needs no prompt', () => {
      assert.deepEqual(build(id, { prompt: '', referenceImages: [image(photo)] }).params, {
        InputImage: b64(photo),
        Styles: ['201'],
        ResultConfig: { Resolution: 'origin' },
        LogoAdd: 1,
        RspImgType: 'base64',
      });
    });

    it('needs exactly one input image', () => {
      assertInvalid(() => build(id, { prompt: 'x' }), 'Client.ReferenceImageRequired', 'ImageToImage');
      assertInvalid(() => build(id, { prompt: 'x', referenceImages: [image(photo), image(photo)] }), 'Client.TooManyReferenceImages');
    });

    it('refuses a GIF with a clear message, and anything that is not an image', () => {
      assertInvalid(() => build(id, { prompt: '', referenceImages: [image(makeGif(100, 100), 'cat.gif')] }), 'Client.ImageFormatUnsupported', 'cat.gif', 'GIF', 'JPEG, PNG, BMP, TIFF, WebP');
      assertInvalid(() => build(id, { prompt: '', referenceImages: [image(new TextEncoder().encode('just some text, no image'))] }), 'Client.ImageFormatUnsupported', 'JPEG, PNG, BMP, TIFF, WebP');
      assertInvalid(() => build(id, { prompt: '', referenceImages: [image(makePng(100, 100).subarray(0, 16), 'cut.png')] }), 'Client.ImageUnreadable', 'cut.png');
    });

    it('accepts BMP, TIFF and WebP input', () => {
      for (const bytes of [makeBmp(60, 60), makeTiff(60, 60), makeWebpLossy(60, 60)]) {
        assert.doesNotThrow(() => build(id, { prompt: '', referenceImages: [image(bytes)] }));
      }
    });

    it('needs each side greater than 50 and less than 5,000 px', () => {
      assert.doesNotThrow(() => build(id, { prompt: '', referenceImages: [image(makePng(51, 4999))] }));
      assertInvalid(() => build(id, { prompt: '', referenceImages: [image(makePng(50, 100))] }), 'Client.ImageDimensionsOutOfRange', '50×100', '50', '5,000');
      assertInvalid(() => build(id, { prompt: '', referenceImages: [image(makePng(100, 5000))] }), 'Client.ImageDimensionsOutOfRange', '100×5000', '5,000');
    });

    it('needs the base64 text under 8 MB: the largest file that fits passes, one byte more fails', () => {
      const atLimit = firstBytesAtBase64(8 * MiB);
      assert.doesNotThrow(() => build(id, { prompt: '', referenceImages: [image(makePng(100, 100, atLimit - 1))] }));
      assertInvalid(() => build(id, { prompt: '', referenceImages: [image(makePng(100, 100, atLimit), 'big.png')] }), 'Client.ImageTooLarge', 'big.png', '8.0 MB', '6.0 MB');
    });

    it('takes a strength in (0, 1] and a style from its list', () => {
      assert.equal(build(id, { prompt: '', strength: 1, referenceImages: [image(photo)] }).params['Strength'], 1);
      for (const strength of [0, 1.01, Number.NaN, -0.5]) {
        assertInvalid(() => build(id, { prompt: '', strength, referenceImages: [image(photo)] }), 'Client.StrengthOutOfRange', '(0, 1]');
      }
      assertInvalid(() => build(id, { prompt: '', style: 'riman', referenceImages: [image(photo)] }), 'Client.StyleUnknown', 'riman');
      assertInvalid(() => build(id, { prompt: '', resolution: '1024:1024', referenceImages: [image(photo)] }), 'Client.ResolutionUnsupported', 'origin');
    });

    it('limits the optional prompt to 256 characters', () => {
      assertPromptLimit(id, 256, { referenceImages: [image(photo)] });
    });
  });

  describe('aiart SubmitTextToImageJob (3.0)', () => {
    const id = 'aiart-text-to-image-job';

    it('builds every documented field of a full request', () => {
      const refs = [makePng(50, 50), makeJpeg(70, 90), makeWebpLossy(5000, 5000)];
      assert.deepEqual(build(id, { prompt: '夜晚的城市', resolution: '768:1280', seed: 4294967295, watermark: false, revise: false, referenceImages: refs.map((r) => image(r)) }), {
        service: 'aiart',
        action: 'SubmitTextToImageJob',
        params: { Prompt: '夜晚的城市', Images: refs.map(b64), Resolution: '768:1280', Seed: 4294967295, LogoAdd: 0, Revise: 0 },
      });
      assert.deepEqual(build(id, { prompt: 'x', negativePrompt: 'ignored: the API has none' }).params, { Prompt: 'x', Resolution: '1024:1024', LogoAdd: 1 });
    });

    it('limits the prompt to 8,192 characters', () => {
      assertPromptLimit(id, 8192);
    });

    it('takes W:H with each side 512–2048 and W×H at most 1024×1024', () => {
      for (const ok of ['1024:1024', '512:2048', '2048:512', '1280:768']) assert.doesNotThrow(() => build(id, { prompt: 'x', resolution: ok }), ok);
      for (const bad of ['1025:1024', '511:1024', '2049:512', '2048:513', '1024', 'a:b', '0:0']) {
        assertInvalid(() => build(id, { prompt: 'x', resolution: bad }), 'Client.ResolutionUnsupported', bad, '1024×1024');
      }
    });

    it('takes up to 3 reference images, each side 50–5000 px, base64 under 6 MB', () => {
      assertInvalid(() => build(id, { prompt: 'x', referenceImages: [1, 2, 3, 4].map(() => image(makePng(60, 60))) }), 'Client.TooManyReferenceImages', '4', '3');
      assertInvalid(() => build(id, { prompt: 'x', referenceImages: [image(makePng(49, 60))] }), 'Client.ImageDimensionsOutOfRange', '49×60', '50', '5,000');
      assertInvalid(() => build(id, { prompt: 'x', referenceImages: [image(makePng(60, 5001))] }), 'Client.ImageDimensionsOutOfRange', '60×5001');
      const atLimit = firstBytesAtBase64(6 * MiB);
      assert.doesNotThrow(() => build(id, { prompt: 'x', referenceImages: [image(makePng(60, 60, atLimit - 1))] }));
      assertInvalid(() => build(id, { prompt: 'x', referenceImages: [image(makePng(60, 60, atLimit))] }), 'Client.ImageTooLarge', '6.0 MB');
    });

    it('keeps the whole JSON body under 10 MB even when each image is within its own limit', () => {
      // Two images of 4,000,000 bytes: 5,333,336 base64 characters each, together over 10 MiB.
      const big = () => image(makePng(60, 60, 4_000_000));
      assertInvalid(() => build(id, { prompt: 'x', referenceImages: [big(), big()] }), 'Client.RequestTooLarge', '10.0 MB');

      // Exactly at the limit fails, one byte under passes: pad the prompt to land on the boundary.
      const images = [image(makePng(60, 60, 3_930_000)), image(makePng(60, 60, 3_930_000))];
      const sizeWith = (prompt: string) => Buffer.byteLength(JSON.stringify(build(id, { prompt, referenceImages: images }).params));
      const base = sizeWith('x');
      const underBy = MAX_BODY_BYTES - base;
      assert.ok(underBy > 1 && underBy < 8192, `fixture lands near the limit (${underBy})`);
      assert.equal(sizeWith('x'.repeat(underBy)), MAX_BODY_BYTES - 1);
      assertInvalid(() => build(id, { prompt: 'x'.repeat(underBy + 1), referenceImages: images }), 'Client.RequestTooLarge');
    });

    it('queries QueryTextToImageJob and reads its statuses', () => {
      const provider = getProvider(id);
      assert.deepEqual(provider.buildQuery('j-3'), { service: 'aiart', action: 'QueryTextToImageJob', params: { JobId: 'j-3' } });
      assert.equal(query(id, { JobStatusCode: '1' }).state, 'queued');
      assert.equal(query(id, { JobStatusCode: '2' }).state, 'running');
      const failed = query(id, { JobStatusCode: '4', JobErrorCode: 'FailedOperation.InnerError', JobErrorMsg: 'oops' });
      assert.ok(failed.state === 'failed' && failed.error.code === 'FailedOperation.InnerError');
      const done = query(id, { JobStatusCode: '5', ResultImage: ['https://cos.example/a.jpg'], ResultDetails: ['Success'], RevisedPrompt: null });
      assert.ok(done.state === 'done');
      assert.equal(done.result.revisedPrompt, undefined);
      assert.equal(done.result.expiresAt, NOW + HOUR);
    });
  });

  describe('aiart TextToImageRapid', () => {
    const id = 'aiart-text-to-image-rapid';

    it('builds every documented field, without a reference image', () => {
      assert.deepEqual(build(id, { prompt: '少年', resolution: '1080:1920', style: '30', seed: 7, watermark: false }), {
        service: 'aiart',
        action: 'TextToImageRapid',
        params: { Prompt: '少年', Resolution: '1080:1920', Style: '30', Seed: 7, LogoAdd: 0, RspImgType: 'base64' },
      });
      assert.deepEqual(build(id, { prompt: '少年' }).params, { Prompt: '少年', Resolution: '1024:1024', LogoAdd: 1, RspImgType: 'base64' });
    });

    it('with a reference image sends Image and leaves out Style and Resolution, which the service ignores', () => {
      const ref = makePng(129, 2047);
      assert.deepEqual(build(id, { prompt: '少年', style: '1', resolution: '1024:1024', referenceImages: [image(ref)] }).params, {
        Prompt: '少年',
        Image: { Base64: b64(ref) },
        LogoAdd: 1,
        RspImgType: 'base64',
      });
      assertInvalid(() => build(id, { prompt: 'x', referenceImages: [image(makePng(128, 500))] }), 'Client.ImageDimensionsOutOfRange', '128×500', '128', '2,048');
      assertInvalid(() => build(id, { prompt: 'x', referenceImages: [image(makePng(500, 2048))] }), 'Client.ImageDimensionsOutOfRange', '500×2048');
    });

    it('takes styles 1–30, a 256-character prompt, and sizes by the ratio × long-side rule', () => {
      assertInvalid(() => build(id, { prompt: 'x', style: '31' }), 'Client.StyleUnknown', '31');
      assertPromptLimit(id, 256);
      for (const ok of ['1024:576', '576:1024', '1920:1080', '1080:607', '1080:608', '160:160', '4096:3072']) assert.doesNotThrow(() => build(id, { prompt: 'x', resolution: ok }), ok);
      for (const bad of ['1000:1000', '1024:700', '1080:606', '4097:4097', '768:1024:1']) {
        assertInvalid(() => build(id, { prompt: 'x', resolution: bad }), 'Client.ResolutionUnsupported', bad, '16:9');
      }
    });
  });

  describe('aiart TextToImageLite', () => {
    const id = 'aiart-text-to-image-lite';

    it('builds every documented field of a full request', () => {
      assert.deepEqual(build(id, { prompt: '海边', negativePrompt: '船', resolution: '2048:1536', seed: 9, watermark: false }), {
        service: 'aiart',
        action: 'TextToImageLite',
        params: { Prompt: '海边', NegativePrompt: '船', Resolution: '2048:1536', Seed: 9, LogoAdd: 0, RspImgType: 'base64' },
      });
    });

    it('limits prompt and negative prompt to 1,024 characters and validates sizes by the rule', () => {
      assertPromptLimit(id, 1024);
      assertInvalid(() => build(id, { prompt: 'x', negativePrompt: chars('船', 1025) }), 'Client.NegativePromptTooLong', '1,025');
      assertInvalid(() => build(id, { prompt: 'x', resolution: 'origin' }), 'Client.ResolutionUnsupported', 'origin');
      assertInvalid(() => build(id, { prompt: 'x', referenceImages: [image(makePng(100, 100))] }), 'Client.ReferenceImageUnsupported');
    });
  });

  describe('aiart SubmitTextToImageProJob (legacy)', () => {
    const id = 'aiart-text-to-image-pro-job';

    it('builds every documented field; no negative prompt or seed in this API', () => {
      assert.deepEqual(build(id, { prompt: '雨中, 竹林, 小路', negativePrompt: '人', seed: 5, style: 'riman', resolution: '720:1280', watermark: false, revise: false }), {
        service: 'aiart',
        action: 'SubmitTextToImageProJob',
        params: { Prompt: '雨中, 竹林, 小路', Style: 'riman', Resolution: '720:1280', LogoAdd: 0, Revise: 0 },
      });
      assert.deepEqual(build(id, { prompt: 'x' }).params, { Prompt: 'x', Resolution: '1024:1024', LogoAdd: 1 });
    });

    it('limits the prompt to 100 characters and the size to its list', () => {
      assertPromptLimit(id, 100);
      assertInvalid(() => build(id, { prompt: 'x', resolution: '1080:1920' }), 'Client.ResolutionUnsupported', '1080:1920');
    });

    it('queries QueryTextToImageProJob', () => {
      assert.deepEqual(getProvider(id).buildQuery('p-1'), { service: 'aiart', action: 'QueryTextToImageProJob', params: { JobId: 'p-1' } });
      assert.equal(query(id, { JobStatusCode: 2 }).state, 'running', 'a numeric status code is read too');
    });
  });

  describe('mps CreateAigcImageTask', () => {
    const id = 'mps-aigc-image';

    it('builds every documented field of a full request for Hunyuan 3.0', () => {
      assert.deepEqual(build(id, { prompt: '星空', negativePrompt: '云', resolution: '768:1280', watermark: true, revise: true, mpsModelName: 'Hunyuan', mpsModelVersion: '3.0' }), {
        service: 'mps',
        action: 'CreateAigcImageTask',
        params: {
          ModelName: 'Hunyuan',
          ModelVersion: '3.0',
          Prompt: '星空',
          NegativePrompt: '云',
          EnhancePrompt: true,
          OutputImageCount: 1,
          ExtraParameters: { LogoAdd: 1 },
          AdditionalParameters: '{"size":"768x1280"}',
        },
      });
    });

    it('defaults to Hunyuan 3.0 at 1024x1024 with the mark OFF (MPS default LogoAdd 0)', () => {
      assert.deepEqual(build(id, { prompt: '星空' }).params, {
        ModelName: 'Hunyuan',
        ModelVersion: '3.0',
        Prompt: '星空',
        OutputImageCount: 1,
        ExtraParameters: { LogoAdd: 0 },
        AdditionalParameters: '{"size":"1024x1024"}',
      });
    });

    it('passes other model names through: Kling and Vidu take an aspect ratio, Qwen a pixel budget, unknown names no size', () => {
      assert.deepEqual(build(id, { prompt: 'x', mpsModelName: 'kling', mpsModelVersion: '2.1', resolution: '1280:720' }).params, {
        ModelName: 'Kling',
        ModelVersion: '2.1',
        Prompt: 'x',
        OutputImageCount: 1,
        ExtraParameters: { LogoAdd: 0, AspectRatio: '16:9' },
      });
      assertInvalid(() => build(id, { prompt: 'x', mpsModelName: 'Kling', resolution: '1280:768' }), 'Client.ResolutionUnsupported', '1280:768', '21:9');
      assert.equal(build(id, { prompt: 'x', mpsModelName: 'Qwen', resolution: '2048:2048' }).params['AdditionalParameters'], '{"size":"2048x2048"}');
      assertInvalid(() => build(id, { prompt: 'x', mpsModelName: 'Qwen', resolution: '2048:2049' }), 'Client.ResolutionUnsupported', '4,194,304');
      assertInvalid(() => build(id, { prompt: 'x', resolution: '2048:2048' }), 'Client.ResolutionUnsupported', '1024×1024');
      assert.deepEqual(build(id, { prompt: 'x', mpsModelName: 'GEM', mpsModelVersion: '3.0', resolution: '999:333' }).params, {
        ModelName: 'GEM',
        ModelVersion: '3.0',
        Prompt: 'x',
        OutputImageCount: 1,
        ExtraParameters: { LogoAdd: 0 },
      });
      assertInvalid(() => build(id, { prompt: 'x', mpsModelName: 'x'.repeat(65) }), 'Client.ModelNameInvalid', '65');
    });

    it('says plainly that a local reference image cannot be sent', () => {
      assertInvalid(() => build(id, { prompt: 'x', referenceImages: [image(makePng(100, 100))] }), 'Client.ReferenceImageUnsupported', 'URL', 'CreateAigcImageTask');
    });

    it('limits the prompt to 1,000 characters', () => {
      assertPromptLimit(id, 1000);
    });

    it('submits by TaskId and reads WAIT, RUN, FAIL and DONE (12-hour URLs)', () => {
      const provider = getProvider(id);
      assert.equal(provider.parseSubmit({ TaskId: '4-AigcImage-c3b1' }), '4-AigcImage-c3b1');
      assert.deepEqual(provider.buildQuery('4-AigcImage-c3b1'), { service: 'mps', action: 'DescribeAigcImageTask', params: { TaskId: '4-AigcImage-c3b1' } });
      assert.deepEqual(query(id, { Status: 'WAIT', ImageUrls: null, Message: null }), { state: 'queued', requestId: 'req-q' });
      assert.deepEqual(query(id, { Status: 'RUN' }), { state: 'running', requestId: 'req-q' });
      const failed = query(id, { Status: 'FAIL', Message: 'content refused' });
      assert.ok(failed.state === 'failed');
      assert.deepEqual([failed.error.message, failed.error.requestId, failed.error.jobId], ['content refused', 'req-q', 'job-1']);
      assert.deepEqual(query(id, { Status: 'DONE', ImageUrls: ['https://mps.example/1.jpeg'], Message: 'ok' }), {
        state: 'done',
        result: { images: [{ kind: 'url', url: 'https://mps.example/1.jpeg' }], requestId: 'req-q', jobId: 'job-1', expiresAt: NOW + 12 * HOUR },
      });
      const empty = query(id, { Status: 'DONE', ImageUrls: null });
      assert.ok(empty.state === 'failed' && empty.error.code === 'Client.NoResultImage');
      assert.throws(() => query(id, { Status: 'PAUSED' }), (e: unknown) => e instanceof StudioError && e.code === 'Client.MalformedReply');
    });
  });

  it('refuses a request addressed to another model', () => {
    assert.throws(() => getProvider('hunyuan-image-job').buildSubmit({ modelId: 'mps-aigc-image', prompt: 'x' }), /given to hunyuan-image-job/);
  });

  describe('against the simulated cloud (real HTTP on loopback)', () => {
    let cloud: FakeCloud;
    let client: TencentCloudClient;
    before(async () => {
      cloud = await startFakeCloud({ jobSeconds: 0.1 });
      client = new TencentCloudClient({ credentials: () => TEST_CREDENTIALS, endpoint: cloud.url });
    });
    after(() => cloud.close());

    /** Every optional input the model takes, and a prompt exactly at its limit in emoji. */
    function fullRequest(modelId: ModelId): GenerationRequest {
      const spec = getProvider(modelId).spec;
      return {
        modelId,
        prompt: '😀'.repeat(spec.promptLimit),
        negativePrompt: '狗',
        seed: 5,
        watermark: false,
        count: spec.count.max,
        ...(spec.styles.length > 0 && { style: spec.styles[1]!.code }),
        ...(spec.referenceImages.max > 0 && { referenceImages: [image(makeJpeg(300, 200))] }),
        ...(modelId === 'aiart-image-to-image' && { strength: 0.6 }),
      };
    }

    for (const spec of listModels()) {
      it(`${spec.id}: the cloud accepts the full request and its reply parses to images`, async () => {
        const provider = getProvider(spec.id);
        const reply = await client.call(provider.buildSubmit(fullRequest(spec.id)));
        if (spec.mode === 'sync') {
          const result = provider.parseSync(reply.response, reply.requestId, Date.now());
          assert.equal(result.images.length, 1);
          return;
        }
        const jobId = provider.parseSubmit(reply.response);
        // Bounded by attempts, not by time: the job takes 0.1 s in the simulated cloud.
        for (let attempt = 0; attempt < 100; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          const polled = await client.call(provider.buildQuery(jobId));
          const status = provider.parseQuery(polled.response, polled.requestId, jobId, Date.now());
          if (status.state === 'failed') assert.fail(status.error.message);
          if (status.state === 'done') {
            assert.equal(status.result.images.length, spec.count.max);
            assert.equal(status.result.jobId, jobId);
            return;
          }
        }
        assert.fail('the job never finished');
      });
    }
  });
});
