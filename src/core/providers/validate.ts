/**
 * The checks every provider makes before anything is built or sent (design.md "Validation before
 * any request"). Each violation throws validationError(...) with a `Client.*` code and a message,
 * in English and Chinese, that names the limit and the value we found, so the user can fix it
 * without a round trip (and without paying for a call the cloud would refuse).
 */
import { FORMAT_INFO, readImageSize, sniffFormat, type ImageFormat } from '../images/sniff';
import { validationError } from '../tencent/error-catalog';
import type { Localized } from '../tencent/errors';
import type { GenerationRequest, ModelSpec, ReferenceImage } from './types';

/** Tencent's "8 MB"/"6M" limits are read as mebibytes; the docs do not say which they mean. */
export const MiB = 1024 * 1024;

/** TC3-signed POST bodies are limited to 10 MB (tencent-api.md §1.1). */
export const MAX_BODY_BYTES = 10 * MiB;

/** Seeds are documented as 1–4294967295 (aiart 3.0); we hold every model to that range. */
export const MAX_SEED = 4_294_967_295;

function fail(code: string, explanation: Localized, nextStep: Localized): never {
  throw validationError(code, explanation, nextStep);
}

/** 1300 -> "1,300": the same digits in both languages. */
function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MB`;
}

/**
 * Length as the APIs count it: "UTF-8 characters" means characters (Unicode code points), not
 * bytes and not UTF-16 units, so 猫 and 😀 are one character each.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Base64 text is 4 characters per 3 bytes, padded. */
export function base64Length(byteLength: number): number {
  return 4 * Math.ceil(byteLength / 3);
}

/** The prompt as it is sent: surrounding whitespace (a selection's trailing newline) is dropped. */
export function promptOf(request: GenerationRequest): string {
  return request.prompt.trim();
}

/** The negative prompt as it is sent, or undefined when empty. */
export function negativePromptOf(request: GenerationRequest): string | undefined {
  const text = request.negativePrompt?.trim();
  return text ? text : undefined;
}

export function checkPrompt(spec: ModelSpec, request: GenerationRequest): void {
  const prompt = promptOf(request);
  const length = characterCount(prompt);
  if (spec.promptRequired && length === 0) {
    fail(
      'Client.PromptEmpty',
      { en: `The prompt is empty; ${spec.submitAction} needs a description of the image.`, zh: `提示词为空；${spec.submitAction} 需要一段图像描述。` },
      { en: 'Select or type some text that describes the image, then try again.', zh: '请选中或输入描述图像的文字后重试。' },
    );
  }
  if (length > spec.promptLimit) {
    fail(
      'Client.PromptTooLong',
      {
        en: `The prompt has ${formatCount(length)} characters; ${spec.submitAction} accepts at most ${formatCount(spec.promptLimit)}.`,
        zh: `提示词有 ${formatCount(length)} 个字符；${spec.submitAction} 最多接受 ${formatCount(spec.promptLimit)} 个。`,
      },
      {
        en: `Shorten the prompt to ${formatCount(spec.promptLimit)} characters or fewer, or pick a model with a longer limit.`,
        zh: `请把提示词缩短到 ${formatCount(spec.promptLimit)} 个字符以内，或换用上限更高的模型。`,
      },
    );
  }
}

/** Models without a negative prompt simply do not send one (spec.negativePromptLimit tells the UI to hide it). */
export function checkNegativePrompt(spec: ModelSpec, request: GenerationRequest): void {
  const text = negativePromptOf(request);
  const limit = spec.negativePromptLimit;
  if (text === undefined || limit === undefined) return;
  const length = characterCount(text);
  if (length > limit) {
    fail(
      'Client.NegativePromptTooLong',
      {
        en: `The negative prompt has ${formatCount(length)} characters; ${spec.submitAction} accepts at most ${formatCount(limit)}.`,
        zh: `反向提示词有 ${formatCount(length)} 个字符；${spec.submitAction} 最多接受 ${formatCount(limit)} 个。`,
      },
      { en: `Shorten the negative prompt to ${formatCount(limit)} characters or fewer.`, zh: `请把反向提示词缩短到 ${formatCount(limit)} 个字符以内。` },
    );
  }
}

export function checkCount(spec: ModelSpec, request: GenerationRequest): void {
  const count = request.count ?? spec.count.default;
  const { min, max } = spec.count;
  if (!Number.isInteger(count) || count < min || count > max) {
    const range = min === max ? `exactly ${min}` : `${min} to ${max}`;
    const rangeZh = min === max ? `只能是 ${min}` : `须在 ${min} 到 ${max} 之间`;
    fail(
      'Client.CountOutOfRange',
      { en: `${count} images were asked for; ${spec.submitAction} makes ${range} per request.`, zh: `请求生成 ${count} 张图；${spec.submitAction} 每次生成的数量${rangeZh}。` },
      { en: `Choose a count from ${min} to ${max}.`, zh: `请选择 ${min} 到 ${max} 之间的数量。` },
    );
  }
}

/** The style as sent: the request's, else the model's default; models without styles send none. */
export function styleOf(spec: ModelSpec, request: GenerationRequest): string | undefined {
  if (spec.styles.length === 0) return undefined;
  return request.style ?? spec.defaultStyle;
}

export function checkStyle(spec: ModelSpec, request: GenerationRequest): void {
  const style = styleOf(spec, request);
  if (style === undefined || spec.styles.some((s) => s.code === style)) return;
  const codes = spec.styles.map((s) => s.code).join(', ');
  fail(
    'Client.StyleUnknown',
    { en: `Style "${style}" is not one of the styles ${spec.submitAction} offers (${codes}).`, zh: `风格 "${style}" 不在 ${spec.submitAction} 支持的风格列表中（${codes}）。` },
    { en: 'Pick a style from the list for this model.', zh: '请从该模型的风格列表中选择。' },
  );
}

/** Seeds only go to models that take one; others ignore the setting (spec.supportsSeed). */
export function checkSeed(spec: ModelSpec, request: GenerationRequest): void {
  const seed = request.seed;
  if (seed === undefined || !spec.supportsSeed) return;
  if (!Number.isInteger(seed) || seed < 1 || seed > MAX_SEED) {
    fail(
      'Client.SeedOutOfRange',
      { en: `Seed ${seed} is not allowed; ${spec.submitAction} takes a whole number from 1 to ${formatCount(MAX_SEED)}.`, zh: `种子 ${seed} 无效；${spec.submitAction} 只接受 1 到 ${formatCount(MAX_SEED)} 之间的整数。` },
      { en: 'Use a whole number in that range, or leave the seed empty for a random one.', zh: '请填写该范围内的整数，或留空以随机生成。' },
    );
  }
}

/** Only style transfer has a strength; other models ignore the field. */
export function checkStrength(spec: ModelSpec, request: GenerationRequest): void {
  const strength = request.strength;
  if (strength === undefined) return;
  if (!Number.isFinite(strength) || strength <= 0 || strength > 1) {
    fail(
      'Client.StrengthOutOfRange',
      { en: `Strength ${strength} is outside (0, 1]; ${spec.submitAction} needs a value above 0 and at most 1.`, zh: `强度 ${strength} 超出 (0, 1] 范围；${spec.submitAction} 要求大于 0 且不超过 1。` },
      { en: 'Use a value such as 0.6–0.8 (smaller stays closer to the original).', zh: '建议取 0.6–0.8（数值越小越接近原图）。' },
    );
  }
}

/** `W:H` -> numbers, or undefined when it is not two positive integers. */
export function parseResolution(resolution: string): { width: number; height: number } | undefined {
  const match = /^(\d{1,5}):(\d{1,5})$/.exec(resolution);
  if (!match) return undefined;
  const width = Number(match[1]);
  const height = Number(match[2]);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

export function resolutionError(action: string, resolution: string, allowed: Localized): never {
  fail(
    'Client.ResolutionUnsupported',
    { en: `Resolution "${resolution}" is not accepted by ${action}: ${allowed.en}.`, zh: `${action} 不支持分辨率 "${resolution}"：${allowed.zh}。` },
    { en: 'Pick one of the sizes offered for this model.', zh: '请选择该模型提供的尺寸。' },
  );
}

export function checkResolutionInSet(action: string, resolution: string, allowed: readonly string[]): void {
  if (allowed.includes(resolution)) return;
  const list = allowed.join(', ');
  resolutionError(action, resolution, { en: `allowed values are ${list}`, zh: `可选值为 ${list}` });
}

/**
 * aiart TextToImageLite/Rapid: aspect ratio 1:1, 3:4, 4:3, 9:16 or 16:9 with the long side from a
 * fixed list (tencent-api.md §4.5). Some long sides do not divide evenly (16:9 at 1080 -> 607.5),
 * so the short side may differ from the exact ratio by less than one pixel.
 */
const RATIO_LONG_SIDES = [160, 200, 225, 258, 512, 520, 608, 768, 1024, 1080, 1280, 1600, 1620, 1920, 2048, 2400, 2560, 2592, 3440, 3840, 4096];
const RATIO_SHORT_TO_LONG = [1, 3 / 4, 9 / 16];

export function checkRatioLongSideRule(action: string, resolution: string): void {
  const size = parseResolution(resolution);
  const long = size && Math.max(size.width, size.height);
  const short = size && Math.min(size.width, size.height);
  const fits =
    long !== undefined &&
    short !== undefined &&
    RATIO_LONG_SIDES.includes(long) &&
    RATIO_SHORT_TO_LONG.some((ratio) => Math.abs(short - long * ratio) < 1);
  if (fits) return;
  const sides = RATIO_LONG_SIDES.join(', ');
  resolutionError(action, resolution, {
    en: `the ratio must be 1:1, 3:4, 4:3, 9:16 or 16:9 with the long side one of ${sides}`,
    zh: `宽高比须为 1:1、3:4、4:3、9:16 或 16:9，且长边为 ${sides} 之一`,
  });
}

/**
 * aiart 3.0 and MPS Hunyuan 3.0: width and height each in [512, 2048] and W×H ≤ 1024×1024
 * (tencent-api.md §4.5, §5.1).
 */
export function checkFreeSizeRule(action: string, resolution: string): void {
  const size = parseResolution(resolution);
  const inRange = (n: number) => n >= 512 && n <= 2048;
  if (size && inRange(size.width) && inRange(size.height) && size.width * size.height <= 1024 * 1024) return;
  resolutionError(action, resolution, {
    en: 'width and height must each be 512–2048 px and width × height at most 1,048,576 (1024×1024)',
    zh: '宽和高均须在 512–2048 像素之间，且宽×高不超过 1,048,576（1024×1024）',
  });
}

/** What one API accepts as a reference image (tencent-api.md §3.2, §4.2, §4.5). */
export interface ReferenceImageRules {
  readonly formats: readonly ImageFormat[];
  /** Side limits in px; `exclusive` means the documented bounds themselves are refused ("> 50 and < 5000"). */
  readonly minSide: number;
  readonly maxSide: number;
  readonly exclusive: boolean;
  /** The base64 text must be smaller than this many bytes. */
  readonly maxBase64Bytes: number;
}

function imageName(image: ReferenceImage, index: number): Localized {
  return image.name ? { en: image.name, zh: image.name } : { en: `Reference image ${index + 1}`, zh: `参考图 ${index + 1}` };
}

function formatList(formats: readonly ImageFormat[]): string {
  return formats.map((f) => FORMAT_INFO[f].name).join(', ');
}

function checkOneImage(action: string, rules: ReferenceImageRules, image: ReferenceImage, index: number): void {
  const name = imageName(image, index);
  const format = sniffFormat(image.bytes);
  const accepted = formatList(rules.formats);
  if (format === undefined) {
    fail(
      'Client.ImageFormatUnsupported',
      { en: `${name.en} is not a PNG, JPEG, WebP, BMP, TIFF or GIF image; ${action} accepts ${accepted}.`, zh: `${name.zh} 不是可识别的图片（PNG、JPEG、WebP、BMP、TIFF 或 GIF）；${action} 支持 ${accepted}。` },
      { en: `Save the image as ${accepted} and try again.`, zh: `请将图片另存为 ${accepted} 格式后重试。` },
    );
  }
  if (!rules.formats.includes(format)) {
    const found = FORMAT_INFO[format].name;
    const target = FORMAT_INFO[rules.formats.includes('png') ? 'png' : rules.formats[0]!].name;
    const gifNote = format === 'gif' ? { en: ' (GIF, animated or not, is not supported)', zh: '（不支持 GIF，无论是否为动图）' } : { en: '', zh: '' };
    fail(
      'Client.ImageFormatUnsupported',
      { en: `${name.en} is a ${found} image; ${action} accepts ${accepted} only${gifNote.en}.`, zh: `${name.zh} 是 ${found} 图片；${action} 仅支持 ${accepted}${gifNote.zh}。` },
      { en: `Convert the image to ${target} and try again.`, zh: `请先转换为 ${target} 格式再试。` },
    );
  }
  const size = readImageSize(image.bytes, format);
  if (size === undefined) {
    fail(
      'Client.ImageUnreadable',
      { en: `${name.en} looks like a ${FORMAT_INFO[format].name} image but its header is damaged or cut short, so its size cannot be read.`, zh: `${name.zh} 看起来是 ${FORMAT_INFO[format].name} 图片，但文件头损坏或不完整，无法读取尺寸。` },
      { en: 'Open and re-save the image in an image editor, then try again.', zh: '请用图片编辑器打开并重新保存后重试。' },
    );
  }
  const sideOk = (n: number) => (rules.exclusive ? n > rules.minSide && n < rules.maxSide : n >= rules.minSide && n <= rules.maxSide);
  if (!sideOk(size.width) || !sideOk(size.height)) {
    const bounds = rules.exclusive
      ? rules.minSide > 0
        ? { en: `greater than ${formatCount(rules.minSide)} px and less than ${formatCount(rules.maxSide)} px`, zh: `大于 ${formatCount(rules.minSide)} 像素且小于 ${formatCount(rules.maxSide)} 像素` }
        : { en: `less than ${formatCount(rules.maxSide)} px`, zh: `小于 ${formatCount(rules.maxSide)} 像素` }
      : { en: `from ${formatCount(rules.minSide)} to ${formatCount(rules.maxSide)} px`, zh: `在 ${formatCount(rules.minSide)} 到 ${formatCount(rules.maxSide)} 像素之间` };
    fail(
      'Client.ImageDimensionsOutOfRange',
      { en: `${name.en} is ${size.width}×${size.height} px; ${action} needs each side ${bounds.en}.`, zh: `${name.zh} 的尺寸为 ${size.width}×${size.height} 像素；${action} 要求每边${bounds.zh}。` },
      { en: 'Resize the image to fit and try again.', zh: '请调整图片尺寸后重试。' },
    );
  }
  const encoded = base64Length(image.bytes.length);
  if (encoded >= rules.maxBase64Bytes) {
    fail(
      'Client.ImageTooLarge',
      {
        en: `${name.en} is ${formatMegabytes(image.bytes.length)} (${formatMegabytes(encoded)} as base64); ${action} accepts less than ${formatMegabytes(rules.maxBase64Bytes)} after base64 encoding.`,
        zh: `${name.zh} 大小为 ${formatMegabytes(image.bytes.length)}（base64 编码后 ${formatMegabytes(encoded)}）；${action} 要求 base64 编码后小于 ${formatMegabytes(rules.maxBase64Bytes)}。`,
      },
      { en: 'Use a smaller or more compressed image (for example a JPEG) and try again.', zh: '请换用更小或压缩率更高的图片（例如 JPEG）后重试。' },
    );
  }
}

/**
 * Count, then each image's format (magic bytes), size in px and base64 size. `rules` is undefined
 * for models that take no local reference image; `why` then says so in the message.
 */
export function checkReferenceImages(
  spec: ModelSpec,
  request: GenerationRequest,
  rules: ReferenceImageRules | undefined,
  why?: Localized,
): void {
  const images = request.referenceImages ?? [];
  const { max, required } = spec.referenceImages;
  if (images.length > 0 && (rules === undefined || max === 0)) {
    fail(
      'Client.ReferenceImageUnsupported',
      why ?? { en: `${spec.submitAction} does not take a reference image.`, zh: `${spec.submitAction} 不支持参考图。` },
      { en: 'Remove the reference image, or pick a model that accepts one.', zh: '请去掉参考图，或换用支持参考图的模型。' },
    );
  }
  if (required && images.length === 0) {
    fail(
      'Client.ReferenceImageRequired',
      { en: `${spec.submitAction} needs an input image and none was given.`, zh: `${spec.submitAction} 需要一张输入图片，但未提供。` },
      { en: 'Choose an image file to transform.', zh: '请选择要处理的图片文件。' },
    );
  }
  if (images.length > max) {
    fail(
      'Client.TooManyReferenceImages',
      { en: `${images.length} reference images were given; ${spec.submitAction} accepts at most ${max}.`, zh: `提供了 ${images.length} 张参考图；${spec.submitAction} 最多接受 ${max} 张。` },
      { en: `Use ${max} image${max === 1 ? '' : 's'} or fewer.`, zh: `请使用不超过 ${max} 张图片。` },
    );
  }
  if (rules) images.forEach((image, index) => checkOneImage(spec.submitAction, rules, image, index));
}

/** The whole JSON body must stay under the TC3 POST limit, whatever each image's own limit. */
export function checkBodySize(action: string, params: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(params), 'utf8');
  if (bytes >= MAX_BODY_BYTES) {
    fail(
      'Client.RequestTooLarge',
      {
        en: `The request to ${action} would be ${formatMegabytes(bytes)}; Tencent Cloud accepts request bodies of less than ${formatMegabytes(MAX_BODY_BYTES)}.`,
        zh: `发往 ${action} 的请求将达 ${formatMegabytes(bytes)}；腾讯云要求请求体小于 ${formatMegabytes(MAX_BODY_BYTES)}。`,
      },
      { en: 'Use fewer or smaller reference images.', zh: '请减少参考图数量或使用更小的图片。' },
    );
  }
}

/** The checks that read only the catalog entry: prompt, negative prompt, count, style, seed. */
export function checkCommon(spec: ModelSpec, request: GenerationRequest): void {
  checkPrompt(spec, request);
  checkNegativePrompt(spec, request);
  checkCount(spec, request);
  checkStyle(spec, request);
  checkSeed(spec, request);
}

/** `LogoAdd` as the APIs want it: 1 or 0, from the request or the model's default. */
export function logoAddOf(spec: ModelSpec, request: GenerationRequest): 0 | 1 {
  return (request.watermark ?? spec.watermarkDefault) ? 1 : 0;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
