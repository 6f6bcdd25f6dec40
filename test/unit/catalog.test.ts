import * as assert from 'node:assert/strict';
import { DEFAULT_MODEL_ID, getModel, getProvider, isModelId, listModels } from '../../src/core/providers/catalog';
import type { GenerationRequest, ModelSpec } from '../../src/core/providers/types';
import { StudioError } from '../../src/core/tencent/errors';
import { makePng } from './fixtures/images';

const HOUR = 3_600_000;

/** The smallest request the model accepts (style transfer needs its input image). */
function minimalRequest(spec: ModelSpec): GenerationRequest {
  return {
    modelId: spec.id,
    prompt: 'a red lantern',
    ...(spec.referenceImages.required && { referenceImages: [{ bytes: makePng(300, 200), name: 'in.png' }] }),
  };
}

describe('catalog', () => {
  it('ships the eight models, the default (SubmitHunyuanImageJob) first', () => {
    const ids = listModels().map((m) => m.id);
    assert.deepEqual(ids, [
      'hunyuan-image-job',
      'hunyuan-text-to-image-lite',
      'aiart-image-to-image',
      'aiart-text-to-image-job',
      'aiart-text-to-image-rapid',
      'aiart-text-to-image-lite',
      'aiart-text-to-image-pro-job',
      'mps-aigc-image',
    ]);
    assert.equal(DEFAULT_MODEL_ID, 'hunyuan-image-job');
    assert.equal(getModel(DEFAULT_MODEL_ID).submitAction, 'SubmitHunyuanImageJob');
  });

  it('maps each model to its documented actions, pool, rate limits, URL lifetime and watermark default', () => {
    const facts = Object.fromEntries(
      listModels().map((m) => [m.id, [m.service, m.mode, m.submitAction, m.queryAction, m.pool.id, m.pool.defaultSize, m.rateLimits, m.resultUrlLifetimeMs / HOUR, m.watermarkDefault]]),
    );
    assert.deepEqual(facts, {
      'hunyuan-image-job': ['hunyuan', 'job', 'SubmitHunyuanImageJob', 'QueryHunyuanImageJob', 'hunyuan-image-job', 1, { QueryHunyuanImageJob: 20 }, 1, true],
      'hunyuan-text-to-image-lite': ['hunyuan', 'sync', 'TextToImageLite', undefined, 'hunyuan-text-to-image-lite', 3, {}, 1, true],
      'aiart-image-to-image': ['aiart', 'sync', 'ImageToImage', undefined, 'aiart-image-to-image', 3, {}, 1, true],
      'aiart-text-to-image-job': ['aiart', 'job', 'SubmitTextToImageJob', 'QueryTextToImageJob', 'aiart-text-to-image-job', 1, { SubmitTextToImageJob: 20, QueryTextToImageJob: 20 }, 1, true],
      'aiart-text-to-image-rapid': ['aiart', 'sync', 'TextToImageRapid', undefined, 'aiart-text-to-image-rapid', 1, {}, 1, true],
      'aiart-text-to-image-lite': ['aiart', 'sync', 'TextToImageLite', undefined, 'aiart-text-to-image-lite', 1, {}, 1, true],
      'aiart-text-to-image-pro-job': ['aiart', 'job', 'SubmitTextToImageProJob', 'QueryTextToImageProJob', 'aiart-text-to-image-pro-job', 1, { QueryTextToImageProJob: 20 }, 1, true],
      'mps-aigc-image': ['mps', 'job', 'CreateAigcImageTask', 'DescribeAigcImageTask', 'mps-aigc-image', 3, { CreateAigcImageTask: 20, DescribeAigcImageTask: 20 }, 12, false],
    });
  });

  it('records the prompt limits and input shapes per action', () => {
    const facts = Object.fromEntries(listModels().map((m) => [m.id, [m.promptLimit, m.promptRequired, m.negativePromptLimit, m.count.max, m.supportsSeed, m.referenceImages.max, m.referenceImages.required]]));
    assert.deepEqual(facts, {
      'hunyuan-image-job': [1024, true, 1024, 4, true, 1, false],
      'hunyuan-text-to-image-lite': [256, true, 256, 1, false, 0, false],
      'aiart-image-to-image': [256, false, 256, 1, false, 1, true],
      'aiart-text-to-image-job': [8192, true, undefined, 1, true, 3, false],
      'aiart-text-to-image-rapid': [256, true, undefined, 1, true, 1, false],
      'aiart-text-to-image-lite': [1024, true, 1024, 1, true, 0, false],
      'aiart-text-to-image-pro-job': [100, true, undefined, 1, false, 0, false],
      'mps-aigc-image': [1000, true, 1000, 1, false, 0, false],
    });
  });

  it('every model gives a label in English and Chinese, and every style one too, with unique codes', () => {
    for (const m of listModels()) {
      assert.ok(m.label.en && m.label.zh, m.id);
      const codes = m.styles.map((s) => s.code);
      assert.equal(new Set(codes).size, codes.length, `${m.id} style codes are unique`);
      for (const s of m.styles) assert.ok(s.label.en && s.label.zh, `${m.id} ${s.code}`);
      if (m.defaultStyle !== undefined) assert.ok(codes.includes(m.defaultStyle), `${m.id} default style is in its list`);
      assert.ok(m.count.min <= m.count.default && m.count.default <= m.count.max, `${m.id} count default`);
    }
  });

  it('every offered resolution, and the default, passes the model’s own validation and is sent as chosen', () => {
    for (const spec of listModels()) {
      const provider = getProvider(spec.id);
      assert.ok(spec.resolutions.includes(spec.defaultResolution), `${spec.id} offers its default`);
      for (const resolution of spec.resolutions) {
        const call = provider.buildSubmit({ ...minimalRequest(spec), resolution });
        const sent = JSON.stringify(call.params);
        const asSent = spec.service === 'mps' ? resolution.replace(':', 'x') : resolution;
        assert.ok(sent.includes(asSent), `${spec.id} sends ${resolution}: ${sent.slice(0, 200)}`);
      }
    }
  });

  it('every model builds a minimal request for its own service and action', () => {
    for (const spec of listModels()) {
      const call = getProvider(spec.id).buildSubmit(minimalRequest(spec));
      assert.equal(call.service, spec.service);
      assert.equal(call.action, spec.submitAction);
      if (spec.mode === 'job') assert.equal(getProvider(spec.id).buildQuery('id-1').action, spec.queryAction);
    }
  });

  it('refuses an unknown model id with a validation error listing the known ones', () => {
    assert.equal(isModelId('hunyuan-image-job'), true);
    assert.equal(isModelId('dall-e'), false);
    assert.throws(
      () => getProvider('dall-e'),
      (e: unknown) => e instanceof StudioError && e.kind === 'invalid' && e.code === 'Client.UnknownModel' && e.explanation.en.includes('hunyuan-image-job'),
    );
  });

  it('Rapid offers styles 1–30 with the names documented for the API', () => {
    const styles = getModel('aiart-text-to-image-rapid').styles;
    assert.deepEqual(styles.map((s) => s.code), Array.from({ length: 30 }, (_, i) => String(i + 1)));
    assert.equal(styles[0]!.label.zh, '宫崎骏风格');
    assert.equal(styles[29]!.label.zh, '都市异能风格');
  });
});
