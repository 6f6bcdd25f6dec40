/**
 * The models a user can pick (design.md "Catalog"): the documented facts of each, and the provider
 * behind it. Commands, settings, quick picks and validation read this; nothing else hard-codes a model.
 * Sources: tencent-api.md §3–§6 and the SDK models (tencentcloud-sdk-nodejs).
 */
import { validationError } from '../tencent/error-catalog';
import { createAiartTextToImageLite, createImageToImage, createTextToImageJob, createTextToImageProJob, createTextToImageRapid, FREE_SIZE_RESOLUTIONS, IMAGE_TO_IMAGE_RESOLUTIONS, IMAGE_TO_IMAGE_STYLES, PRO_RESOLUTIONS, RAPID_STYLES, RATIO_RULE_RESOLUTIONS } from './aiart';
import { createHunyuanImageJob, createHunyuanTextToImageLite, HUNYUAN_IMAGE_STYLES, HUNYUAN_JOB_RESOLUTIONS, HUNYUAN_LITE_RESOLUTIONS, HUNYUAN_LITE_STYLES } from './hunyuan';
import { createMpsAigcImage } from './mps';
import type { ModelId, ModelSpec, Provider } from './types';

const HOUR_MS = 60 * 60 * 1000;
/** hunyuan and aiart result URLs live 1 hour; MPS keeps images 12 hours (§6). */
const HUNYUAN_AIART_URL_LIFETIME_MS = HOUR_MS;
const MPS_URL_LIFETIME_MS = 12 * HOUR_MS;

const ONE_IMAGE = { min: 1, max: 1, default: 1 } as const;
const NO_REFERENCE = { max: 0, required: false } as const;

export const DEFAULT_MODEL_ID: ModelId = 'hunyuan-image-job';

const SPECS: readonly ModelSpec[] = [
  {
    id: 'hunyuan-image-job',
    label: { en: 'Hunyuan Image', zh: '混元生图' },
    service: 'hunyuan',
    mode: 'job',
    submitAction: 'SubmitHunyuanImageJob',
    queryAction: 'QueryHunyuanImageJob',
    promptLimit: 1024,
    promptRequired: true,
    negativePromptLimit: 1024,
    resolutions: HUNYUAN_JOB_RESOLUTIONS,
    defaultResolution: '1024:1024',
    styles: HUNYUAN_IMAGE_STYLES,
    count: { min: 1, max: 4, default: 1 },
    supportsSeed: true,
    referenceImages: { max: 1, required: false },
    pool: { id: 'hunyuan-image-job', defaultSize: 1 },
    // The Submit rate is not documented (§6); only the Query limit is.
    rateLimits: { QueryHunyuanImageJob: 20 },
    resultUrlLifetimeMs: HUNYUAN_AIART_URL_LIFETIME_MS,
    watermarkDefault: true,
  },
  {
    id: 'hunyuan-text-to-image-lite',
    label: { en: 'Hunyuan Text-to-Image Lite', zh: '混元文生图轻量版' },
    service: 'hunyuan',
    mode: 'sync',
    submitAction: 'TextToImageLite',
    promptLimit: 256,
    promptRequired: true,
    negativePromptLimit: 256,
    resolutions: HUNYUAN_LITE_RESOLUTIONS,
    defaultResolution: '768:768',
    styles: HUNYUAN_LITE_STYLES,
    defaultStyle: '201',
    count: ONE_IMAGE,
    supportsSeed: false,
    referenceImages: NO_REFERENCE,
    pool: { id: 'hunyuan-text-to-image-lite', defaultSize: 3 },
    rateLimits: {},
    resultUrlLifetimeMs: HUNYUAN_AIART_URL_LIFETIME_MS,
    watermarkDefault: true,
  },
  {
    id: 'aiart-image-to-image',
    label: { en: 'Style Transfer (image to image)', zh: '图像风格化（图生图）' },
    service: 'aiart',
    mode: 'sync',
    submitAction: 'ImageToImage',
    promptLimit: 256,
    // The prompt only guides the transfer; the input image is what is required.
    promptRequired: false,
    negativePromptLimit: 256,
    resolutions: IMAGE_TO_IMAGE_RESOLUTIONS,
    defaultResolution: 'origin',
    styles: IMAGE_TO_IMAGE_STYLES,
    defaultStyle: '201',
    count: ONE_IMAGE,
    supportsSeed: false,
    referenceImages: { max: 1, required: true },
    pool: { id: 'aiart-image-to-image', defaultSize: 3 },
    rateLimits: {},
    resultUrlLifetimeMs: HUNYUAN_AIART_URL_LIFETIME_MS,
    watermarkDefault: true,
  },
  {
    id: 'aiart-text-to-image-job',
    label: { en: 'Hunyuan Image 3.0', zh: '混元生图 3.0' },
    service: 'aiart',
    mode: 'job',
    submitAction: 'SubmitTextToImageJob',
    queryAction: 'QueryTextToImageJob',
    promptLimit: 8192,
    promptRequired: true,
    resolutions: FREE_SIZE_RESOLUTIONS,
    defaultResolution: '1024:1024',
    styles: [],
    count: ONE_IMAGE,
    supportsSeed: true,
    referenceImages: { max: 3, required: false },
    pool: { id: 'aiart-text-to-image-job', defaultSize: 1 },
    rateLimits: { SubmitTextToImageJob: 20, QueryTextToImageJob: 20 },
    resultUrlLifetimeMs: HUNYUAN_AIART_URL_LIFETIME_MS,
    watermarkDefault: true,
  },
  {
    id: 'aiart-text-to-image-rapid',
    label: { en: 'Hunyuan Image 2.0 (rapid)', zh: '混元生图 2.0' },
    service: 'aiart',
    mode: 'sync',
    submitAction: 'TextToImageRapid',
    promptLimit: 256,
    promptRequired: true,
    resolutions: RATIO_RULE_RESOLUTIONS,
    defaultResolution: '1024:1024',
    styles: RAPID_STYLES,
    count: ONE_IMAGE,
    supportsSeed: true,
    referenceImages: { max: 1, required: false },
    pool: { id: 'aiart-text-to-image-rapid', defaultSize: 1 },
    rateLimits: {},
    resultUrlLifetimeMs: HUNYUAN_AIART_URL_LIFETIME_MS,
    watermarkDefault: true,
  },
  {
    id: 'aiart-text-to-image-lite',
    label: { en: 'Hunyuan Image Express', zh: '混元生图（极速版）' },
    service: 'aiart',
    mode: 'sync',
    submitAction: 'TextToImageLite',
    promptLimit: 1024,
    promptRequired: true,
    negativePromptLimit: 1024,
    resolutions: RATIO_RULE_RESOLUTIONS,
    defaultResolution: '1024:1024',
    styles: [],
    count: ONE_IMAGE,
    supportsSeed: true,
    referenceImages: NO_REFERENCE,
    pool: { id: 'aiart-text-to-image-lite', defaultSize: 1 },
    rateLimits: {},
    resultUrlLifetimeMs: HUNYUAN_AIART_URL_LIFETIME_MS,
    watermarkDefault: true,
  },
  {
    id: 'aiart-text-to-image-pro-job',
    label: { en: 'Text-to-Image Pro (legacy)', zh: '文生图高级版（旧版）' },
    service: 'aiart',
    mode: 'job',
    submitAction: 'SubmitTextToImageProJob',
    queryAction: 'QueryTextToImageProJob',
    promptLimit: 100,
    promptRequired: true,
    resolutions: PRO_RESOLUTIONS,
    defaultResolution: '1024:1024',
    // Its own list (doc 1668/104567) was not retrieved; the API's documented example value is
    // `riman` and the action was migrated to SubmitHunyuanImageJob, whose list uses these codes.
    styles: HUNYUAN_IMAGE_STYLES,
    count: ONE_IMAGE,
    supportsSeed: false,
    referenceImages: NO_REFERENCE,
    pool: { id: 'aiart-text-to-image-pro-job', defaultSize: 1 },
    rateLimits: { QueryTextToImageProJob: 20 },
    resultUrlLifetimeMs: HUNYUAN_AIART_URL_LIFETIME_MS,
    watermarkDefault: true,
  },
  {
    id: 'mps-aigc-image',
    label: { en: 'MPS AIGC Image', zh: '媒体处理 AIGC 生图' },
    service: 'mps',
    mode: 'job',
    submitAction: 'CreateAigcImageTask',
    queryAction: 'DescribeAigcImageTask',
    // The current SDK states no limit; earlier versions said 1000 characters (§5.1), kept to be safe.
    promptLimit: 1000,
    promptRequired: true,
    negativePromptLimit: 1000,
    // The sizes of the default model, Hunyuan 3.0 (free W×H, W,H in 512–2048, W×H ≤ 1024²).
    resolutions: FREE_SIZE_RESOLUTIONS,
    defaultResolution: '1024:1024',
    styles: [],
    count: ONE_IMAGE,
    supportsSeed: false,
    // Reference images go only as public URLs (ImageInfos[].ImageUrl); we have local bytes only.
    referenceImages: NO_REFERENCE,
    // MPS documents no concurrency for AIGC image tasks; 3 is our choice (a setting raises it),
    // and JobNumExceed-style refusals are retried by the scheduler anyway.
    pool: { id: 'mps-aigc-image', defaultSize: 3 },
    rateLimits: { CreateAigcImageTask: 20, DescribeAigcImageTask: 20 },
    resultUrlLifetimeMs: MPS_URL_LIFETIME_MS,
    watermarkDefault: false,
  },
];

const FACTORIES: Readonly<Record<ModelId, (spec: ModelSpec) => Provider>> = {
  'hunyuan-image-job': createHunyuanImageJob,
  'hunyuan-text-to-image-lite': createHunyuanTextToImageLite,
  'aiart-image-to-image': createImageToImage,
  'aiart-text-to-image-job': createTextToImageJob,
  'aiart-text-to-image-rapid': createTextToImageRapid,
  'aiart-text-to-image-lite': createAiartTextToImageLite,
  'aiart-text-to-image-pro-job': createTextToImageProJob,
  'mps-aigc-image': createMpsAigcImage,
};

const PROVIDERS: ReadonlyMap<string, Provider> = new Map(SPECS.map((spec) => [spec.id, FACTORIES[spec.id](spec)]));

/** Every model, in the order pickers show them (the default first). */
export function listModels(): readonly ModelSpec[] {
  return SPECS;
}

export function isModelId(value: string): value is ModelId {
  return PROVIDERS.has(value);
}

/** The provider for a model id; an unknown id (e.g. a stale setting) is a validation error naming the known ones. */
export function getProvider(modelId: string): Provider {
  const provider = PROVIDERS.get(modelId);
  if (provider) return provider;
  const known = SPECS.map((s) => s.id).join(', ');
  throw validationError(
    'Client.UnknownModel',
    { en: `"${modelId}" is not a model this extension knows (${known}).`, zh: `"${modelId}" 不是本扩展支持的模型（${known}）。` },
    { en: 'Pick a model from the list in the settings or with "Generate with Options".', zh: '请在设置中或通过“带选项生成”从列表中选择模型。' },
  );
}

export function getModel(modelId: string): ModelSpec {
  return getProvider(modelId).spec;
}
