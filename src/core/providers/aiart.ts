/**
 * aiart (2022-12-29): ImageToImage style transfer (tencent-api.md §4.2), SubmitTextToImageJob 3.0,
 * TextToImageRapid and TextToImageLite (§4.5), and the legacy SubmitTextToImageProJob (§4.4).
 * Note aiart's `Image` is `{ Base64, Url }`, not hunyuan's `{ ImageBase64, ImageUrl }`.
 */
import { defineProvider, style } from './define';
import { parseJobId, parseStatusCodeQuery, parseSyncReply } from './replies';
import type { GenerationRequest, ModelSpec, Provider, StyleOption } from './types';
import {
  checkFreeSizeRule,
  checkRatioLongSideRule,
  checkReferenceImages,
  checkResolutionInSet,
  checkStrength,
  logoAddOf,
  MiB,
  negativePromptOf,
  promptOf,
  styleOf,
  toBase64,
  type ReferenceImageRules,
} from './validate';

/** ImageToImage styles (§4.6, doc 1668/86250); the API's default is 201. */
export const IMAGE_TO_IMAGE_STYLES: readonly StyleOption[] = [
  style('104', 'Watercolour', '水彩画'),
  style('107', 'Cartoon illustration', '卡通插画'),
  style('116', '3D cartoon', '3D 卡通'),
  style('201', 'Japanese anime', '日系动漫'),
  style('203', 'Classical Chinese', '唯美古风'),
  style('210', '2.5D animation', '2.5D 动画'),
  style('120', 'Wood carving', '木雕'),
  style('121', 'Clay', '黏土'),
  style('123', 'Fresh Japanese anime', '清新日漫'),
  style('124', 'Picture-story book', '小人书插画'),
  style('125', 'Chinese gongbi', '国风工笔'),
  style('126', 'Jade', '玉石'),
  style('127', 'Porcelain', '瓷器'),
  style('135', 'Felt (Asian)', '毛毡（亚洲版）'),
  style('128', 'Felt (Western)', '毛毡（欧美版）'),
  style('129', 'American retro', '美式复古'),
  style('130', 'Steampunk', '蒸汽朋克'),
  style('131', 'Cyberpunk', '赛博朋克'),
  style('132', 'Sketch', '素描'),
  style('133', 'Monet garden', '莫奈花园'),
  style('134', 'Hand-painted impasto', '厚涂手绘'),
];

/** TextToImageRapid styles "1".."30", named as in the SDK's field documentation (TextToImageRapidRequest.Style). */
export const RAPID_STYLES: readonly StyleOption[] = [
  ['Hayao Miyazaki', '宫崎骏'],
  ['Makoto Shinkai', '新海诚'],
  ['Travel', '去旅行'],
  ['Watercolour', '水彩'],
  ['Pixel', '像素'],
  ['Fairy-tale world', '童话世界'],
  ['Whimsical cartoon', '奇趣卡通'],
  ['Cyberpunk', '赛博朋克'],
  ['Minimalist', '极简'],
  ['Retro', '复古'],
  ['Dark', '暗黑系'],
  ['Pop art', '波普风'],
  ['Candy colours', '糖果色'],
  ['Film', '胶片电影'],
  ['Sketch', '素描'],
  ['Ink wash', '水墨画'],
  ['Oil painting', '油画'],
  ['Chalk', '粉笔'],
  ['Clay', '粘土'],
  ['Felt', '毛毡'],
  ['Embroidery', '刺绣'],
  ['Coloured pencil', '彩铅'],
  ['Monet', '莫奈'],
  ['Picasso', '毕加索'],
  ['Mucha', '穆夏'],
  ['Classical Chinese anime', '古风二次元'],
  ['Urban anime', '都市二次元'],
  ['Suspense', '悬疑'],
  ['Campus', '校园'],
  ['Urban fantasy', '都市异能'],
].map(([en, zh], i) => style(String(i + 1), en!, `${zh}风格`));

export const IMAGE_TO_IMAGE_RESOLUTIONS = ['origin', '768:768', '768:1024', '1024:768'];
export const PRO_RESOLUTIONS = ['1024:1024', '768:768', '768:1024', '1024:768', '720:1280', '1280:720', '768:1280', '1280:768'];
/** Offered in pickers for the ratio × long-side rule (validated by the rule, not this list). */
export const RATIO_RULE_RESOLUTIONS = ['1024:1024', '768:1024', '1024:768', '576:1024', '1024:576', '1080:1920', '1920:1080', '1536:2048', '2048:1536', '2048:2048'];
/** Offered for the 3.0 free-size rule (W,H in 512–2048, W×H ≤ 1024²); sizes from its documented bucket list. */
export const FREE_SIZE_RESOLUTIONS = ['1024:1024', '768:1024', '1024:768', '720:1280', '1280:720', '768:1280', '1280:768', '896:1152', '1152:896', '512:2048', '2048:512'];

/** ImageToImage input: each side > 50 and < 5000 px, base64 < 8 MB, jpg/jpeg/png/bmp/tiff/webp (§4.2). */
const STYLE_TRANSFER_RULES: ReferenceImageRules = { formats: ['jpeg', 'png', 'bmp', 'tiff', 'webp'], minSide: 50, maxSide: 5000, exclusive: true, maxBase64Bytes: 8 * MiB };
/** SubmitTextToImageJob Images: each side 50–5000 px, base64 < 6 MB (§4.5). */
const JOB_3_RULES: ReferenceImageRules = { formats: ['jpeg', 'png', 'bmp', 'tiff', 'webp'], minSide: 50, maxSide: 5000, exclusive: false, maxBase64Bytes: 6 * MiB };
/** TextToImageRapid Image: each side > 128 and < 2048 px, < 6 MB (§4.5; held to the base64 size, what is sent). */
const RAPID_RULES: ReferenceImageRules = { formats: ['jpeg', 'png', 'bmp', 'tiff', 'webp'], minSide: 128, maxSide: 2048, exclusive: true, maxBase64Bytes: 6 * MiB };

const syncReply = (spec: ModelSpec) => ({
  mode: 'sync' as const,
  parse: (response: Record<string, unknown>, requestId: string, now: number) =>
    parseSyncReply(spec.submitAction, response, requestId, now, spec.resultUrlLifetimeMs),
});

const jobReply = (spec: ModelSpec) => ({
  mode: 'job' as const,
  idField: 'JobId' as const,
  parseSubmit: (response: Record<string, unknown>) => parseJobId(spec.submitAction, 'JobId', response),
  parseQuery: (response: Record<string, unknown>, requestId: string, jobId: string, now: number) =>
    parseStatusCodeQuery(spec.queryAction ?? spec.submitAction, response, requestId, jobId, now, spec.resultUrlLifetimeMs),
});

const seedField = (request: GenerationRequest) => (request.seed !== undefined ? { Seed: request.seed } : {});
const reviseField = (request: GenerationRequest) => (request.revise !== undefined ? { Revise: request.revise ? 1 : 0 } : {});

export function createImageToImage(spec: ModelSpec): Provider {
  return defineProvider(spec, {
    check(request) {
      checkStrength(spec, request);
      checkReferenceImages(spec, request, STYLE_TRANSFER_RULES);
      if (request.resolution !== undefined) checkResolutionInSet(spec.submitAction, request.resolution, spec.resolutions);
    },
    params(request) {
      const prompt = promptOf(request);
      const negative = negativePromptOf(request);
      const chosenStyle = styleOf(spec, request);
      return {
        InputImage: toBase64(request.referenceImages![0]!.bytes),
        ...(prompt !== '' && { Prompt: prompt }),
        ...(negative !== undefined && { NegativePrompt: negative }),
        ...(chosenStyle !== undefined && { Styles: [chosenStyle] }),
        ResultConfig: { Resolution: request.resolution ?? spec.defaultResolution },
        LogoAdd: logoAddOf(spec, request),
        ...(request.strength !== undefined && { Strength: request.strength }),
        // base64: no second download and no 1-hour URL to outlive (see hunyuan TextToImageLite).
        RspImgType: 'base64',
      };
    },
    reply: syncReply(spec),
  });
}

export function createTextToImageJob(spec: ModelSpec): Provider {
  return defineProvider(spec, {
    check(request) {
      checkReferenceImages(spec, request, JOB_3_RULES);
      if (request.resolution !== undefined) checkFreeSizeRule(spec.submitAction, request.resolution);
    },
    params(request) {
      const images = request.referenceImages ?? [];
      return {
        Prompt: promptOf(request),
        ...(images.length > 0 && { Images: images.map((image) => toBase64(image.bytes)) }),
        Resolution: request.resolution ?? spec.defaultResolution,
        ...seedField(request),
        LogoAdd: logoAddOf(spec, request),
        ...reviseField(request),
      };
    },
    reply: jobReply(spec),
  });
}

export function createTextToImageRapid(spec: ModelSpec): Provider {
  return defineProvider(spec, {
    check(request) {
      checkReferenceImages(spec, request, RAPID_RULES);
      if (request.resolution !== undefined) checkRatioLongSideRule(spec.submitAction, request.resolution);
    },
    params(request) {
      const reference = request.referenceImages?.[0];
      const chosenStyle = styleOf(spec, request);
      return {
        Prompt: promptOf(request),
        // With an Image the service ignores Style and Resolution and keeps the input's size (§4.5),
        // so they are not sent at all rather than sent and silently dropped.
        ...(reference
          ? { Image: { Base64: toBase64(reference.bytes) } }
          : { Resolution: request.resolution ?? spec.defaultResolution, ...(chosenStyle !== undefined && { Style: chosenStyle }) }),
        ...seedField(request),
        LogoAdd: logoAddOf(spec, request),
        RspImgType: 'base64',
      };
    },
    reply: syncReply(spec),
  });
}

export function createAiartTextToImageLite(spec: ModelSpec): Provider {
  return defineProvider(spec, {
    check(request) {
      checkReferenceImages(spec, request, undefined);
      if (request.resolution !== undefined) checkRatioLongSideRule(spec.submitAction, request.resolution);
    },
    params(request) {
      const negative = negativePromptOf(request);
      return {
        Prompt: promptOf(request),
        ...(negative !== undefined && { NegativePrompt: negative }),
        Resolution: request.resolution ?? spec.defaultResolution,
        ...seedField(request),
        LogoAdd: logoAddOf(spec, request),
        RspImgType: 'base64',
      };
    },
    reply: syncReply(spec),
  });
}

export function createTextToImageProJob(spec: ModelSpec): Provider {
  return defineProvider(spec, {
    check(request) {
      checkReferenceImages(spec, request, undefined);
      if (request.resolution !== undefined) checkResolutionInSet(spec.submitAction, request.resolution, spec.resolutions);
    },
    params(request) {
      const chosenStyle = styleOf(spec, request);
      // No NegativePrompt, LogoParam or Seed in this API (§4.4); Engine stays at its default.
      return {
        Prompt: promptOf(request),
        ...(chosenStyle !== undefined && { Style: chosenStyle }),
        Resolution: request.resolution ?? spec.defaultResolution,
        LogoAdd: logoAddOf(spec, request),
        ...reviseField(request),
      };
    },
    reply: jobReply(spec),
  });
}
