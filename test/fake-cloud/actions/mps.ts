/**
 * mps 2019-06-12 AIGC image actions (tencent-api.md §5). Results are JPEG unless
 * ExtraParameters.OutputFormat says `png` (MPS serves .jpg results by default).
 */
import { ApiError } from '../api-error';
import {
  checkFreeSize,
  checkOneOf,
  checkText,
  requireField,
  type Params,
  type Size,
  type ValueCodes,
} from '../validate';
import type { ActionDef, CloudContext } from './context';
import { randomSeed, submitJob } from './work';

const CODES: ValueCodes = {
  value: 'InvalidParameterValue',
  textTooLong: 'InvalidParameterValue',
  imageEmpty: 'InvalidParameterValue',
  imageDecode: 'InvalidParameterValue',
  imageTooBig: 'InvalidParameterValue',
  imageResolution: 'InvalidParameterValue',
  imageDownload: 'InvalidParameterValue',
  urlIllegal: 'InvalidParameterValue',
};

interface ModelFacts {
  readonly versions: readonly string[];
  /** Max reference images per version (default 1). */
  readonly maxImages: Readonly<Record<string, number>>;
  readonly aspectRatios: readonly string[];
}

/** §5.1, as of SDK 4.1.287+. */
const MPS_MODELS: Readonly<Record<string, ModelFacts>> = {
  Hunyuan: { versions: ['3.0'], maxImages: { '3.0': 3 }, aspectRatios: [] },
  Qwen: { versions: ['0925'], maxImages: {}, aspectRatios: [] },
  Vidu: { versions: ['q2'], maxImages: { q2: 7 }, aspectRatios: ['16:9', '9:16', '1:1', '3:4', '4:3', '21:9', '2:3', '3:2'] },
  Kling: {
    versions: ['2.1', 'O1', '3.0', '3.0-Omni'],
    maxImages: { '2.1': 4, O1: 10, '3.0-Omni': 10 },
    aspectRatios: ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'],
  },
};

/** Short side for ExtraParameters.Resolution. */
const SHORT_SIDES: Readonly<Record<string, number>> = { '720P': 720, '1080P': 1080, '2K': 1440, '4K': 2160 };

interface ExtraParameters {
  AspectRatio?: string;
  Resolution?: string;
  LogoAdd?: number;
  OutputFormat?: string;
}

/** `{"size":"WxH"}` in AdditionalParameters, checked by the model's rule. */
function additionalSize(text: string | undefined, model: string): Size | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(CODES.value, '`AdditionalParameters` must be a JSON object serialised to a string.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(CODES.value, '`AdditionalParameters` must be a JSON object serialised to a string.');
  }
  const sizeText = (parsed as Record<string, unknown>)['size'];
  if (sizeText === undefined) return undefined;
  const match = typeof sizeText === 'string' ? /^(\d{1,5})x(\d{1,5})$/.exec(sizeText) : null;
  if (!match) throw new ApiError(CODES.value, '`AdditionalParameters.size` must look like 1024x1024.');
  const size = { width: Number(match[1]), height: Number(match[2]) };
  if (model === 'Hunyuan') return checkFreeSize(size, 'AdditionalParameters.size', 512, 2048, 1024 * 1024, CODES);
  if (model === 'Qwen') {
    const pixels = size.width * size.height;
    if (pixels < 512 * 512 || pixels > 2048 * 2048) {
      throw new ApiError(CODES.value, `\`AdditionalParameters.size\` must have between ${512 * 512} and ${2048 * 2048} pixels.`);
    }
    return size;
  }
  return size;
}

function sizeFromAspect(extra: ExtraParameters): Size | undefined {
  if (extra.AspectRatio === undefined) return undefined;
  const [w, h] = extra.AspectRatio.split(':').map(Number) as [number, number];
  const short = SHORT_SIDES[extra.Resolution ?? ''] ?? 1024;
  return w >= h ? { width: Math.round((short * w) / h), height: short } : { width: short, height: Math.round((short * h) / w) };
}

async function createAigcImageTask(params: Params, ctx: CloudContext): Promise<Record<string, unknown>> {
  const modelName = requireField<string>(params, 'ModelName');
  checkOneOf(modelName, 'ModelName', Object.keys(MPS_MODELS), CODES);
  const model = MPS_MODELS[modelName]!;
  const version = checkOneOf(params['ModelVersion'] as string | undefined, 'ModelVersion', model.versions, CODES) ?? model.versions[0]!;
  const scene = checkOneOf(params['SceneType'] as string | undefined, 'SceneType', ['3d_panorama'], CODES);
  if (scene !== undefined && modelName !== 'Hunyuan') throw new ApiError(CODES.value, '`SceneType` 3d_panorama is supported by Hunyuan only.');
  const references = (params['ImageInfos'] as Array<{ ImageUrl?: string }> | undefined) ?? [];
  const prompt = checkText(params, 'Prompt', 1000, CODES, references.length === 0) ?? '';
  const maxImages = model.maxImages[version] ?? 1;
  if (references.length > maxImages) {
    throw new ApiError(CODES.value, `\`ImageInfos\` holds ${references.length} images; ${modelName} ${version} accepts at most ${maxImages}.`);
  }
  references.forEach((reference, i) => {
    // MPS downloads references later, in the task; only the URL's form is checked on submit.
    if (!/^https?:\/\/[^\s/]+/i.test(reference.ImageUrl ?? '')) throw new ApiError(CODES.value, `\`ImageInfos.${i}.ImageUrl\` must be an http(s) URL.`);
  });
  const count = params['OutputImageCount'] as number | undefined;
  if (count !== undefined && count !== 1) throw new ApiError(CODES.value, '`OutputImageCount` must be 1.');
  const extra = (params['ExtraParameters'] as ExtraParameters | undefined) ?? {};
  if (extra.AspectRatio !== undefined) {
    if (model.aspectRatios.length === 0) throw new ApiError(CODES.value, `\`ExtraParameters.AspectRatio\` is not supported by ${modelName}.`);
    checkOneOf(extra.AspectRatio, 'ExtraParameters.AspectRatio', model.aspectRatios, CODES);
  }
  checkOneOf(extra.Resolution, 'ExtraParameters.Resolution', Object.keys(SHORT_SIDES), CODES);
  if (extra.LogoAdd !== undefined && extra.LogoAdd !== 0 && extra.LogoAdd !== 1) {
    throw new ApiError(CODES.value, '`ExtraParameters.LogoAdd` must be 0 or 1.');
  }
  const format = checkOneOf(extra.OutputFormat as 'jpeg' | 'png' | undefined, 'ExtraParameters.OutputFormat', ['jpeg', 'png'], CODES) ?? 'jpeg';
  const cos = params['StoreCosParam'] as { CosBucketName?: string; CosBucketRegion?: string } | undefined;
  if (cos && (cos.CosBucketName === undefined || cos.CosBucketRegion === undefined)) {
    throw new ApiError('MissingParameter', '`StoreCosParam` needs CosBucketName and CosBucketRegion.');
  }
  const size = additionalSize(params['AdditionalParameters'] as string | undefined, modelName) ?? sizeFromAspect(extra) ?? { width: 1024, height: 1024 };
  const taskId = submitJob(ctx, {
    service: 'mps',
    action: 'CreateAigcImageTask',
    pool: 'mps-aigc-image',
    images: [{ prompt: prompt || `${modelName} ${version} reference image`, width: size.width, height: size.height, format, seed: randomSeed() }],
  });
  return { TaskId: taskId };
}

const STATUS = { queued: 'WAIT', running: 'RUN', done: 'DONE', failed: 'FAIL' } as const;

export const MPS_ACTIONS: readonly ActionDef[] = [
  {
    service: 'mps',
    name: 'CreateAigcImageTask',
    kind: 'submit',
    schema: {
      ModelName: 'string',
      ModelVersion: 'string',
      SceneType: 'string',
      Prompt: 'string',
      NegativePrompt: 'string',
      EnhancePrompt: 'boolean',
      ImageInfos: { array: { object: { ImageUrl: 'string', ReferenceType: 'string' } } },
      OutputImageCount: 'integer',
      ExtraParameters: { object: { AspectRatio: 'string', Resolution: 'string', LogoAdd: 'integer', OutputFormat: 'string' } },
      AdditionalParameters: 'string',
      StoreCosParam: { object: { CosBucketName: 'string', CosBucketRegion: 'string', CosBucketPath: 'string' } },
      Operator: 'string',
    },
    ratePerSecond: 20,
    handle: createAigcImageTask,
  },
  {
    service: 'mps',
    name: 'DescribeAigcImageTask',
    kind: 'query',
    schema: { TaskId: 'string' },
    ratePerSecond: 20,
    async handle(params, ctx) {
      const taskId = requireField<string>(params, 'TaskId');
      const job = ctx.jobs.get(taskId);
      if (!job || job.spec.family !== 'CreateAigcImageTask') throw new ApiError('InvalidParameterValue.TaskId', `The task \`${taskId}\` does not exist.`);
      return {
        Status: STATUS[job.state],
        ImageUrls: job.state === 'done' ? job.urls : [],
        // On failure the message leads with the error code, so a client can classify it.
        Message: job.failure ? `${job.failure.code}: ${job.failure.message}` : job.state === 'done' ? 'ok' : '',
      };
    },
  },
];
