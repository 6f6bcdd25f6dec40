/** aiart 2022-12-29 image actions (tencent-api.md §4). Results are PNG. */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import { loadImage, splitBase64OrUrl, type ImageLimits } from '../image-input';
import type { ImageOrder } from '../jobs';
import {
  checkFlexibleResolution,
  checkFreeSize,
  checkOneOf,
  checkRange,
  checkResolutionIn,
  checkText,
  parseResolution,
  requireField,
  type Params,
  type Size,
  type ValueCodes,
} from '../validate';
import type { ActionDef, CloudContext } from './context';
import { LOGO_PARAM, checkLogo, fixedSeed, rspImgType } from './shared';
import { findJob, jobStatusFields, randomSeed, revisePrompt, runSync, submitJob } from './work';

const CODES: ValueCodes = {
  value: 'InvalidParameterValue.ParameterValueError',
  textTooLong: 'InvalidParameterValue.TextLengthExceed',
  imageEmpty: 'InvalidParameterValue.ImageEmpty',
  imageDecode: 'FailedOperation.ImageDecodeFailed',
  imageTooBig: 'FailedOperation.ImageSizeExceed',
  imageResolution: 'FailedOperation.ImageResolutionExceed',
  imageDownload: 'FailedOperation.ImageDownloadError',
  urlIllegal: 'InvalidParameterValue.UrlIllegal',
};

const MB = 1024 * 1024;
const INPUT_FORMATS = ['jpeg', 'png', 'bmp', 'tiff', 'webp'] as const;

/** §4.6. */
const IMAGE_TO_IMAGE_STYLES = [
  '104', '107', '116', '201', '203', '210', '120', '121', '123', '124', '125', '126', '127', '135', '128', '129', '130', '131', '132', '133', '134',
];
const PRO_RESOLUTIONS = ['768:768', '768:1024', '1024:768', '1024:1024', '720:1280', '1280:720', '768:1280', '1280:768'];
const RAPID_STYLES = Array.from({ length: 30 }, (_, i) => String(i + 1));

const SUBMIT_JOB = 'SubmitTextToImageJob';
const SUBMIT_PRO_JOB = 'SubmitTextToImageProJob';

function order(prompt: string, size: Size, seed: number): ImageOrder {
  return { prompt, width: size.width, height: size.height, format: 'png', seed };
}

/** A seed that follows the input image, so different inputs give different pictures. */
function seedOf(bytes: Buffer): number {
  return createHash('sha256').update(bytes).digest().readUInt32BE(0) || 1;
}

function reviseFlag(params: Params): boolean {
  return (checkOneOf(String(params['Revise'] ?? 1), 'Revise', ['0', '1'], CODES) ?? '1') === '1';
}

async function imageToImage(params: Params, ctx: CloudContext): Promise<Record<string, unknown>> {
  const limits: ImageLimits = { formats: INPUT_FORMATS, minSideExclusive: 50, maxSideExclusive: 5000, maxBase64Bytes: 8 * MB };
  const input = await loadImage(
    { url: params['InputUrl'] as string | undefined, base64: params['InputImage'] as string | undefined },
    params['InputUrl'] !== undefined ? 'InputUrl' : 'InputImage',
    limits,
    CODES,
    ctx.fetchUrl,
  );
  const prompt = checkText(params, 'Prompt', 256, CODES, false) ?? '';
  checkText(params, 'NegativePrompt', 256, CODES, false);
  const styles = (params['Styles'] as string[] | undefined) ?? [];
  for (const style of styles) checkOneOf(style, 'Styles', IMAGE_TO_IMAGE_STYLES, CODES);
  const families = new Set(styles.map((style) => style.startsWith('1')));
  if (families.size > 1) throw new ApiError('InvalidParameterValue.StyleConflict', '1xx styles cannot be mixed with other styles.');
  const style = styles[0] ?? '201';
  const resolution = checkOneOf(
    (params['ResultConfig'] as { Resolution?: string } | undefined)?.Resolution,
    'ResultConfig.Resolution',
    ['origin', '768:768', '768:1024', '1024:768'],
    CODES,
  );
  let size: Size;
  if (resolution === undefined || resolution === 'origin') {
    // Same as the input, the long side capped at 2000 with a proportional downscale.
    const scale = Math.min(1, 2000 / Math.max(input.info.width, input.info.height));
    size = { width: Math.round(input.info.width * scale), height: Math.round(input.info.height * scale) };
  } else {
    size = parseResolution(resolution, 'ResultConfig.Resolution', CODES);
  }
  const strength = params['Strength'] as number | undefined;
  if (strength !== undefined && !(strength > 0 && strength <= 1)) {
    throw new ApiError(CODES.value, `\`Strength\` must be in (0, 1]; got ${strength}.`);
  }
  checkOneOf(params['EnhanceImage'] === undefined ? undefined : String(params['EnhanceImage']), 'EnhanceImage', ['0', '1'], CODES);
  checkRange(params['RestoreFace'] as number | undefined, 'RestoreFace', 0, 6, CODES);
  const type = rspImgType(params, CODES);
  await checkLogo(params, CODES, ctx.fetchUrl);
  const image = await runSync(
    ctx,
    { service: 'aiart', action: 'ImageToImage', pool: 'aiart-image-to-image', images: [order(`${prompt} [style ${style}]`, size, seedOf(input.bytes))] },
    type,
  );
  return { ResultImage: image };
}

async function submitTextToImageJob(params: Params, ctx: CloudContext): Promise<Record<string, unknown>> {
  const prompt = checkText(params, 'Prompt', 8192, CODES, true)!;
  const references = (params['Images'] as string[] | undefined) ?? [];
  if (references.length > 3) throw new ApiError(CODES.value, `\`Images\` holds ${references.length} images; at most 3 are allowed.`);
  for (const [i, reference] of references.entries()) {
    await loadImage(
      splitBase64OrUrl(reference),
      `Images.${i}`,
      { formats: INPUT_FORMATS, minSideExclusive: 49, maxSideExclusive: 5001, maxBase64Bytes: 6 * MB },
      CODES,
      ctx.fetchUrl,
    );
  }
  const size = checkFreeSize(
    parseResolution((params['Resolution'] as string | undefined) ?? '1024:1024', 'Resolution', CODES),
    'Resolution',
    512,
    2048,
    1024 * 1024,
    CODES,
  );
  const seed = fixedSeed(params, 'Seed', CODES);
  const revise = reviseFlag(params);
  await checkLogo(params, CODES, ctx.fetchUrl);
  const images = [order(prompt, size, (revise ? undefined : seed) ?? randomSeed())];
  const jobId = submitJob(ctx, { service: 'aiart', action: SUBMIT_JOB, pool: 'aiart-text-to-image-job', images }, [
    revise ? revisePrompt(prompt) : prompt,
  ]);
  return { JobId: jobId };
}

async function textToImageRapid(params: Params, ctx: CloudContext): Promise<Record<string, unknown>> {
  const prompt = checkText(params, 'Prompt', 256, CODES, true)!;
  const style = checkOneOf(params['Style'] as string | undefined, 'Style', RAPID_STYLES, CODES);
  let size = checkFlexibleResolution(params['Resolution'] as string | undefined, 'Resolution', CODES);
  const reference = params['Image'] as { Base64?: string; Url?: string } | undefined;
  if (reference) {
    const loaded = await loadImage(
      { url: reference.Url, base64: reference.Base64 },
      'Image',
      { formats: INPUT_FORMATS, minSideExclusive: 128, maxSideExclusive: 2048, maxBase64Bytes: 6 * MB },
      CODES,
      ctx.fetchUrl,
    );
    // With a reference image, Style and Resolution are ignored and the output keeps its size.
    size = { width: loaded.info.width, height: loaded.info.height };
  }
  const seed = fixedSeed(params, 'Seed', CODES) ?? randomSeed();
  const type = rspImgType(params, CODES);
  await checkLogo(params, CODES, ctx.fetchUrl);
  const drawn = style && !reference ? `${prompt} [style ${style}]` : prompt;
  const image = await runSync(ctx, { service: 'aiart', action: 'TextToImageRapid', pool: 'aiart-text-to-image-rapid', images: [order(drawn, size, seed)] }, type);
  return { ResultImage: image, Seed: seed };
}

async function textToImageLite(params: Params, ctx: CloudContext): Promise<Record<string, unknown>> {
  const prompt = checkText(params, 'Prompt', 1024, CODES, true)!;
  checkText(params, 'NegativePrompt', 1024, CODES, false);
  const size = checkFlexibleResolution(params['Resolution'] as string | undefined, 'Resolution', CODES);
  const seed = fixedSeed(params, 'Seed', CODES) ?? randomSeed();
  const type = rspImgType(params, CODES);
  await checkLogo(params, CODES, ctx.fetchUrl);
  const image = await runSync(ctx, { service: 'aiart', action: 'TextToImageLite', pool: 'aiart-text-to-image-lite', images: [order(prompt, size, seed)] }, type);
  return { ResultImage: image, Seed: seed };
}

async function submitTextToImageProJob(params: Params, ctx: CloudContext): Promise<Record<string, unknown>> {
  const prompt = checkText(params, 'Prompt', 100, CODES, true)!;
  // The Pro style list (1668/104567) was not retrieved, so any style code is accepted.
  const size = checkResolutionIn(params['Resolution'] as string | undefined, '1024:1024', 'Resolution', PRO_RESOLUTIONS, CODES);
  checkOneOf(params['Engine'] as string | undefined, 'Engine', ['engine1', 'engine2'], CODES);
  const revise = reviseFlag(params);
  const jobId = submitJob(
    ctx,
    { service: 'aiart', action: SUBMIT_PRO_JOB, pool: 'aiart-text-to-image-pro-job', images: [order(prompt, size, randomSeed())] },
    [revise ? revisePrompt(prompt) : prompt],
  );
  return { JobId: jobId };
}

function queryAction(name: string, family: string): ActionDef {
  return {
    service: 'aiart',
    name,
    kind: 'query',
    schema: { JobId: 'string' },
    ratePerSecond: 20,
    async handle(params, ctx) {
      const jobId = requireField<string>(params, 'JobId');
      const job = findJob(ctx, jobId, family);
      if (!job) throw new ApiError('FailedOperation.JobNotExist', `The job \`${jobId}\` does not exist.`);
      return jobStatusFields(job);
    },
  };
}

export const AIART_ACTIONS: readonly ActionDef[] = [
  {
    service: 'aiart',
    name: 'ImageToImage',
    kind: 'submit',
    schema: {
      InputImage: 'string',
      InputUrl: 'string',
      Prompt: 'string',
      NegativePrompt: 'string',
      Styles: { array: 'string' },
      ResultConfig: { object: { Resolution: 'string' } },
      LogoAdd: 'integer',
      LogoParam: LOGO_PARAM,
      Strength: 'number',
      RspImgType: 'string',
      EnhanceImage: 'integer',
      RestoreFace: 'integer',
    },
    handle: imageToImage,
  },
  {
    service: 'aiart',
    name: SUBMIT_JOB,
    kind: 'submit',
    schema: {
      Prompt: 'string',
      Images: { array: 'string' },
      Resolution: 'string',
      Seed: 'integer',
      LogoAdd: 'integer',
      LogoParam: LOGO_PARAM,
      Revise: 'integer',
    },
    ratePerSecond: 20,
    handle: submitTextToImageJob,
  },
  queryAction('QueryTextToImageJob', SUBMIT_JOB),
  {
    service: 'aiart',
    name: 'TextToImageRapid',
    kind: 'submit',
    schema: {
      Prompt: 'string',
      Resolution: 'string',
      Seed: 'integer',
      Image: { object: { Base64: 'string', Url: 'string' } },
      Style: 'string',
      LogoAdd: 'integer',
      LogoParam: LOGO_PARAM,
      RspImgType: 'string',
    },
    handle: textToImageRapid,
  },
  {
    service: 'aiart',
    name: 'TextToImageLite',
    kind: 'submit',
    schema: {
      Prompt: 'string',
      NegativePrompt: 'string',
      Resolution: 'string',
      Seed: 'integer',
      LogoAdd: 'integer',
      LogoParam: LOGO_PARAM,
      RspImgType: 'string',
    },
    handle: textToImageLite,
  },
  {
    service: 'aiart',
    name: SUBMIT_PRO_JOB,
    kind: 'submit',
    schema: {
      Prompt: 'string',
      Style: 'string',
      Resolution: 'string',
      LogoAdd: 'integer',
      Engine: 'string',
      Revise: 'integer',
    },
    handle: submitTextToImageProJob,
  },
  queryAction('QueryTextToImageProJob', SUBMIT_PRO_JOB),
];
