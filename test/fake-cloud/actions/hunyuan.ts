/** hunyuan 2023-09-01 image actions (tencent-api.md §3). Results are PNG. */
import { ApiError } from '../api-error';
import { loadImage } from '../image-input';
import type { ImageOrder } from '../jobs';
import {
  checkOneOf,
  checkRange,
  checkResolutionIn,
  checkText,
  requireField,
  type Params,
  type Size,
  type ValueCodes,
} from '../validate';
import type { ActionDef } from './context';
import { LOGO_PARAM, checkLogo, fixedSeed, rspImgType } from './shared';
import { findJob, jobStatusFields, randomSeed, revisePrompt, runSync, submitJob } from './work';

/** hunyuan reuses one value code for almost every bad field (§3.8). */
const CODES: ValueCodes = {
  value: 'InvalidParameterValue.ParameterValueError',
  textTooLong: 'InvalidParameterValue.ParameterValueError',
  imageEmpty: 'InvalidParameterValue.ParameterValueError',
  imageDecode: 'FailedOperation.ImageDecodeFailed',
  imageTooBig: 'InvalidParameterValue.ParameterValueError',
  imageResolution: 'InvalidParameterValue.ParameterValueError',
  imageDownload: 'FailedOperation.ImageDownloadError',
  urlIllegal: 'InvalidParameterValue.ParameterValueError',
};

const JOB_RESOLUTIONS = ['768:768', '768:1024', '1024:768', '1024:1024', '720:1280', '1280:720', '768:1280', '1280:768'];
const JOB_RESOLUTIONS_WITH_IMAGE = ['768:768', '768:1024', '1024:768', '1024:1024'];
const LITE_RESOLUTIONS = [...JOB_RESOLUTIONS, '1080:1920', '1920:1080'];
/** §3.7. */
const HUNYUAN_JOB_STYLES = [
  'riman', 'shuimo', 'monai', 'bianping', 'xiangsu', 'ertonghuiben', '3dxuanran', 'manhua', 'heibaimanhua',
  'xieshi', 'dongman', 'bijiasuo', 'saibopengke', 'youhua', 'masaike', 'qinghuaci', 'xinnianjianzhi', 'xinnianhuayi',
];

const SUBMIT_JOB = 'SubmitHunyuanImageJob';

function orders(prompt: string, size: Size, count: number, seed: number | undefined): ImageOrder[] {
  const base = seed ?? randomSeed();
  return Array.from({ length: count }, (_, i) => ({ prompt, width: size.width, height: size.height, format: 'png' as const, seed: base + i }));
}

async function submitHunyuanImageJob(params: Params, ctx: Parameters<ActionDef['handle']>[1]): Promise<Record<string, unknown>> {
  const prompt = checkText(params, 'Prompt', 1024, CODES, true)!;
  checkText(params, 'NegativePrompt', 1024, CODES, false);
  checkOneOf(params['Style'] as string | undefined, 'Style', HUNYUAN_JOB_STYLES, CODES);
  const count = checkRange(params['Num'] as number | undefined, 'Num', 1, 4, CODES) ?? 1;
  const clarity = checkOneOf(params['Clarity'] as string | undefined, 'Clarity', ['x2', 'x4'], CODES);
  const revise = (checkOneOf(String(params['Revise'] ?? 1), 'Revise', ['0', '1'], CODES) ?? '1') === '1';
  const seed = fixedSeed(params, 'Seed', CODES);
  const content = params['ContentImage'] as { ImageUrl?: string; ImageBase64?: string } | undefined;
  let size: Size;
  if (content) {
    const image = await loadImage(
      { url: content.ImageUrl, base64: content.ImageBase64 },
      'ContentImage',
      { formats: ['png', 'jpeg'], minSideExclusive: 0, maxSideExclusive: 5000, maxBase64Bytes: 8 * 1024 * 1024 },
      CODES,
      ctx.fetchUrl,
    );
    // Omitted = auto: the reference's aspect ratio with the long side 1024.
    const scale = 1024 / Math.max(image.info.width, image.info.height);
    size =
      params['Resolution'] === undefined
        ? { width: Math.max(1, Math.round(image.info.width * scale)), height: Math.max(1, Math.round(image.info.height * scale)) }
        : checkResolutionIn(params['Resolution'] as string, '1024:1024', 'Resolution', JOB_RESOLUTIONS_WITH_IMAGE, CODES);
  } else {
    size = checkResolutionIn(params['Resolution'] as string | undefined, '1024:1024', 'Resolution', JOB_RESOLUTIONS, CODES);
  }
  await checkLogo(params, CODES, ctx.fetchUrl);
  const factor = clarity === 'x4' ? 4 : clarity === 'x2' ? 2 : 1;
  const outSize = { width: size.width * factor, height: size.height * factor };
  // Revise is forced on with a reference image, and a fixed seed is ignored while it is on.
  const revising = revise || content !== undefined;
  const images = orders(prompt, outSize, count, revising ? undefined : seed);
  const revised = images.map(() => (revising ? revisePrompt(prompt) : prompt));
  const jobId = submitJob(ctx, { service: 'hunyuan', action: SUBMIT_JOB, pool: 'hunyuan-image-job', images }, revised);
  return { JobId: jobId };
}

export const HUNYUAN_ACTIONS: readonly ActionDef[] = [
  {
    service: 'hunyuan',
    name: SUBMIT_JOB,
    kind: 'submit',
    schema: {
      Prompt: 'string',
      NegativePrompt: 'string',
      Style: 'string',
      Resolution: 'string',
      Num: 'integer',
      Clarity: 'string',
      ContentImage: { object: { ImageUrl: 'string', ImageBase64: 'string' } },
      Revise: 'integer',
      Seed: 'integer',
      LogoAdd: 'integer',
      LogoParam: LOGO_PARAM,
    },
    handle: submitHunyuanImageJob,
  },
  {
    service: 'hunyuan',
    name: 'QueryHunyuanImageJob',
    kind: 'query',
    schema: { JobId: 'string' },
    ratePerSecond: 20,
    async handle(params, ctx) {
      const jobId = requireField<string>(params, 'JobId');
      const job = findJob(ctx, jobId, SUBMIT_JOB);
      if (!job) throw new ApiError('InvalidParameter.InvalidParameter', `JobId \`${jobId}\` does not exist.`);
      return jobStatusFields(job);
    },
  },
  {
    service: 'hunyuan',
    name: 'TextToImageLite',
    kind: 'submit',
    schema: {
      Prompt: 'string',
      NegativePrompt: 'string',
      Style: 'string',
      Resolution: 'string',
      LogoAdd: 'integer',
      LogoParam: LOGO_PARAM,
      RspImgType: 'string',
    },
    async handle(params, ctx) {
      const prompt = checkText(params, 'Prompt', 256, CODES, true)!;
      checkText(params, 'NegativePrompt', 256, CODES, false);
      // The style list (1729/108992) was not retrieved, so any code is accepted.
      const size = checkResolutionIn(params['Resolution'] as string | undefined, '768:768', 'Resolution', LITE_RESOLUTIONS, CODES);
      const type = rspImgType(params, CODES);
      await checkLogo(params, CODES, ctx.fetchUrl);
      const image = await runSync(
        ctx,
        { service: 'hunyuan', action: 'TextToImageLite', pool: 'hunyuan-text-to-image-lite', images: orders(prompt, size, 1, undefined) },
        type,
      );
      return { ResultImage: image };
    },
  },
];
