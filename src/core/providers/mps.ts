/**
 * mps (2019-06-12): CreateAigcImageTask / DescribeAigcImageTask (tencent-api.md §5.1, §5.2).
 * The model behind it is chosen by free-text ModelName/ModelVersion (the list changes often,
 * §5.3), so known values are offered but any name is passed through.
 */
import { validationError } from '../tencent/error-catalog';
import { defineProvider } from './define';
import { parseJobId, parseMpsQuery } from './replies';
import type { Localized } from '../tencent/errors';
import type { GenerationRequest, ModelSpec, Provider } from './types';
import {
  checkFreeSizeRule,
  checkReferenceImages,
  logoAddOf,
  negativePromptOf,
  parseResolution,
  promptOf,
  resolutionError,
} from './validate';

export interface MpsKnownModel {
  readonly name: string;
  readonly versions: readonly string[];
}

/** The SDK's list as of 4.1.287 (§5.1); the first version of each is offered as its default. */
export const MPS_KNOWN_MODELS: readonly MpsKnownModel[] = [
  { name: 'Hunyuan', versions: ['3.0'] },
  { name: 'Qwen', versions: ['0925'] },
  { name: 'Vidu', versions: ['q2'] },
  { name: 'Kling', versions: ['2.1', 'O1', '3.0', '3.0-Omni'] },
];

export const MPS_DEFAULT_MODEL = { name: 'Hunyuan', version: '3.0' } as const;

/** Aspect ratios Kling and Vidu take in ExtraParameters.AspectRatio (§5.1). */
const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'];

const MAX_MODEL_TEXT = 64;

/** How a `W:H` reaches the model: Hunyuan and Qwen take a free size, Kling and Vidu an aspect ratio. */
type SizeStyle = 'hunyuan-size' | 'qwen-size' | 'aspect-ratio' | 'unknown';

interface MpsModel {
  readonly name: string;
  readonly version: string | undefined;
  readonly sizeStyle: SizeStyle;
}

function modelOf(request: GenerationRequest): MpsModel {
  const typedName = request.mpsModelName?.trim() || MPS_DEFAULT_MODEL.name;
  const known = MPS_KNOWN_MODELS.find((m) => m.name.toLowerCase() === typedName.toLowerCase());
  // A known name is sent with the API's own spelling; anything else is passed through as typed.
  const name = known?.name ?? typedName;
  const typedVersion = request.mpsModelVersion?.trim();
  const version = typedVersion || (name === MPS_DEFAULT_MODEL.name ? MPS_DEFAULT_MODEL.version : undefined);
  const sizeStyle: SizeStyle =
    name === 'Hunyuan' ? 'hunyuan-size' : name === 'Qwen' ? 'qwen-size' : name === 'Kling' || name === 'Vidu' ? 'aspect-ratio' : 'unknown';
  return { name, version, sizeStyle };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function aspectRatioOf(resolution: string): string | undefined {
  const size = parseResolution(resolution);
  if (!size) return undefined;
  const divisor = gcd(size.width, size.height);
  const ratio = `${size.width / divisor}:${size.height / divisor}`;
  return ASPECT_RATIOS.includes(ratio) ? ratio : undefined;
}

function checkModelText(action: string, field: Localized, value: string | undefined): void {
  if (value === undefined) return;
  const text = value.trim();
  if (text.length <= MAX_MODEL_TEXT && !/[\u0000-\u001f\u007f]/.test(text)) return;
  const shown = text.length > 24 ? `${text.slice(0, 24)}…` : text;
  throw validationError(
    'Client.ModelNameInvalid',
    {
      en: `The ${field.en} "${shown}" cannot be sent to ${action}: it has ${text.length} characters (at most ${MAX_MODEL_TEXT}) or a control character.`,
      zh: `${field.zh} "${shown}" 无法发送给 ${action}：长度为 ${text.length} 个字符（最多 ${MAX_MODEL_TEXT} 个）或含控制字符。`,
    },
    { en: `Use one of the known models: ${MPS_KNOWN_MODELS.map((m) => m.name).join(', ')}.`, zh: `请使用已知模型：${MPS_KNOWN_MODELS.map((m) => m.name).join('、')}。` },
  );
}

function checkMpsResolution(action: string, model: MpsModel, resolution: string): void {
  switch (model.sizeStyle) {
    case 'hunyuan-size':
      return checkFreeSizeRule(action, resolution);
    case 'qwen-size': {
      // Qwen 0925: total pixels from 512×512 to 2048×2048 (§5.1).
      const size = parseResolution(resolution);
      const pixels = size ? size.width * size.height : 0;
      if (pixels >= 512 * 512 && pixels <= 2048 * 2048) return;
      return resolutionError(action, resolution, {
        en: `${model.name} needs width × height from 262,144 (512×512) to 4,194,304 (2048×2048)`,
        zh: `${model.name} 要求宽×高在 262,144（512×512）到 4,194,304（2048×2048）之间`,
      });
    }
    case 'aspect-ratio':
      if (aspectRatioOf(resolution) !== undefined) return;
      return resolutionError(action, resolution, {
        en: `${model.name} takes an aspect ratio, and this size is not one of ${ASPECT_RATIOS.join(', ')}`,
        zh: `${model.name} 只接受宽高比，该尺寸不属于 ${ASPECT_RATIOS.join('、')}`,
      });
    case 'unknown':
      return;
  }
}

/** The size fields for the model: AdditionalParameters `{"size":"WxH"}` or ExtraParameters.AspectRatio. */
function sizeFields(spec: ModelSpec, model: MpsModel, request: GenerationRequest): { additional?: string; aspectRatio?: string } {
  switch (model.sizeStyle) {
    case 'hunyuan-size':
    case 'qwen-size': {
      const size = parseResolution(request.resolution ?? spec.defaultResolution)!;
      return { additional: JSON.stringify({ size: `${size.width}x${size.height}` }) };
    }
    case 'aspect-ratio':
      return request.resolution === undefined ? {} : { aspectRatio: aspectRatioOf(request.resolution)! };
    case 'unknown':
      // We do not know how an unlisted model takes a size; it gets its own default.
      return {};
  }
}

export function createMpsAigcImage(spec: ModelSpec): Provider {
  return defineProvider(spec, {
    check(request) {
      checkReferenceImages(spec, request, undefined, {
        en: `${spec.submitAction} takes reference images only as public URLs it downloads itself; a local image file cannot be sent to it.`,
        zh: `${spec.submitAction} 只接受可公开访问的参考图 URL，无法发送本地图片文件。`,
      });
      checkModelText(spec.submitAction, { en: 'model name', zh: '模型名称' }, request.mpsModelName);
      checkModelText(spec.submitAction, { en: 'model version', zh: '模型版本' }, request.mpsModelVersion);
      if (request.resolution !== undefined) checkMpsResolution(spec.submitAction, modelOf(request), request.resolution);
    },
    params(request) {
      const model = modelOf(request);
      const negative = negativePromptOf(request);
      const { additional, aspectRatio } = sizeFields(spec, model, request);
      return {
        ModelName: model.name,
        ...(model.version !== undefined && { ModelVersion: model.version }),
        Prompt: promptOf(request),
        ...(negative !== undefined && { NegativePrompt: negative }),
        ...(request.revise !== undefined && { EnhancePrompt: request.revise }),
        OutputImageCount: 1,
        // MPS leaves the mark off by default (LogoAdd 0, §5.1), unlike hunyuan/aiart.
        ExtraParameters: { LogoAdd: logoAddOf(spec, request), ...(aspectRatio !== undefined && { AspectRatio: aspectRatio }) },
        ...(additional !== undefined && { AdditionalParameters: additional }),
      };
    },
    reply: {
      mode: 'job',
      idField: 'TaskId',
      parseSubmit: (response) => parseJobId(spec.submitAction, 'TaskId', response),
      parseQuery: (response, requestId, taskId, now) =>
        parseMpsQuery(spec.queryAction ?? spec.submitAction, response, requestId, taskId, now, spec.resultUrlLifetimeMs),
    },
  });
}
