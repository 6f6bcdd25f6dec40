/**
 * hunyuan (2023-09-01): SubmitHunyuanImageJob/QueryHunyuanImageJob (tencent-api.md §3.2, §3.3) and
 * the synchronous TextToImageLite (§3.4). Field names here are the API's; nothing else sees them.
 */
import { defineProvider, style } from './define';
import { parseJobId, parseStatusCodeQuery, parseSyncReply } from './replies';
import type { GenerationRequest, ModelSpec, Provider, StyleOption } from './types';
import {
  checkReferenceImages,
  checkResolutionInSet,
  logoAddOf,
  MiB,
  negativePromptOf,
  promptOf,
  styleOf,
  toBase64,
  type ReferenceImageRules,
} from './validate';

/** SubmitHunyuanImageJob styles (§3.7, doc 1729/105846). Omitting Style means "no style". */
export const HUNYUAN_IMAGE_STYLES: readonly StyleOption[] = [
  style('riman', 'Japanese anime', '日漫动画'),
  style('shuimo', 'Ink wash', '水墨画'),
  style('monai', 'Monet', '莫奈'),
  style('bianping', 'Flat illustration', '扁平插画'),
  style('xiangsu', 'Pixel illustration', '像素插画'),
  style('ertonghuiben', "Children's picture book", '儿童绘本'),
  style('3dxuanran', '3D render', '3D 渲染'),
  style('manhua', 'Comic', '漫画'),
  style('heibaimanhua', 'Black-and-white comic', '黑白漫画'),
  style('xieshi', 'Realistic', '写实'),
  style('dongman', 'Anime', '动漫'),
  style('bijiasuo', 'Picasso', '毕加索'),
  style('saibopengke', 'Cyberpunk', '赛博朋克'),
  style('youhua', 'Oil painting', '油画'),
  style('masaike', 'Mosaic', '马赛克'),
  style('qinghuaci', 'Blue-and-white porcelain', '青花瓷'),
  style('xinnianjianzhi', 'New Year paper-cut', '新年剪纸画'),
  style('xinnianhuayi', 'New Year floral art', '新年花艺'),
];

/** hunyuan TextToImageLite styles (doc 1729/108992); the API's default is 201. */
export const HUNYUAN_LITE_STYLES: readonly StyleOption[] = [
  style('000', 'No specific style', '不限定风格'),
  style('101', 'Ink wash', '水墨画'),
  style('102', 'Concept art', '概念艺术'),
  style('103', 'Oil painting 1', '油画1'),
  style('118', 'Oil painting 2 (Van Gogh)', '油画2（梵高）'),
  style('104', 'Watercolour', '水彩画'),
  style('105', 'Pixel art', '像素画'),
  style('106', 'Impasto', '厚涂风格'),
  style('107', 'Illustration', '插图'),
  style('108', 'Paper-cut', '剪纸风格'),
  style('109', 'Impressionism 1 (Monet)', '印象派1（莫奈）'),
  style('119', 'Impressionism 2', '印象派2'),
  style('110', '2.5D', '2.5D'),
  style('111', 'Classical portrait', '古典肖像画'),
  style('112', 'Black-and-white sketch', '黑白素描画'),
  style('113', 'Cyberpunk', '赛博朋克'),
  style('114', 'Science fiction', '科幻风格'),
  style('115', 'Dark', '暗黑风格'),
  style('116', '3D', '3D'),
  style('117', 'Vaporwave', '蒸汽波'),
  style('201', 'Japanese anime', '日系动漫'),
  style('202', 'Monster', '怪兽风格'),
  style('203', 'Classical Chinese', '唯美古风'),
  style('204', 'Retro anime', '复古动漫'),
  style('301', 'Hand-drawn game cartoon', '游戏卡通手绘'),
  style('401', 'General realistic', '通用写实风格'),
];

export const HUNYUAN_JOB_RESOLUTIONS = ['1024:1024', '768:768', '768:1024', '1024:768', '720:1280', '1280:720', '768:1280', '1280:768'];
/** With a ContentImage only these are accepted; omitting Resolution lets the service adapt (§3.2). */
const HUNYUAN_JOB_RESOLUTIONS_WITH_IMAGE = ['768:768', '768:1024', '1024:768', '1024:1024'];
export const HUNYUAN_LITE_RESOLUTIONS = ['768:768', '768:1024', '1024:768', '1024:1024', '720:1280', '1280:720', '768:1280', '1280:768', '1080:1920', '1920:1080'];

/** ContentImage: each side < 5000 px, base64 < 8 MB, jpg/jpeg/png only (§3.2). */
const CONTENT_IMAGE_RULES: ReferenceImageRules = { formats: ['jpeg', 'png'], minSide: 0, maxSide: 5000, exclusive: true, maxBase64Bytes: 8 * MiB };

export function createHunyuanImageJob(spec: ModelSpec): Provider {
  const image = (request: GenerationRequest) => request.referenceImages?.[0];
  return defineProvider(spec, {
    check(request) {
      checkReferenceImages(spec, request, CONTENT_IMAGE_RULES);
      if (request.resolution !== undefined) {
        checkResolutionInSet(spec.submitAction, request.resolution, image(request) ? HUNYUAN_JOB_RESOLUTIONS_WITH_IMAGE : spec.resolutions);
      }
    },
    params(request) {
      const reference = image(request);
      const chosenStyle = styleOf(spec, request);
      const negative = negativePromptOf(request);
      // Without a reference image the default size is sent explicitly; with one, leaving it out
      // lets the service match the image's aspect ratio.
      const resolution = request.resolution ?? (reference ? undefined : spec.defaultResolution);
      return {
        Prompt: promptOf(request),
        ...(negative !== undefined && { NegativePrompt: negative }),
        ...(chosenStyle !== undefined && { Style: chosenStyle }),
        ...(resolution !== undefined && { Resolution: resolution }),
        Num: request.count ?? spec.count.default,
        ...(reference && { ContentImage: { ImageBase64: toBase64(reference.bytes) } }),
        ...(request.revise !== undefined && { Revise: request.revise ? 1 : 0 }),
        ...(request.seed !== undefined && { Seed: request.seed }),
        LogoAdd: logoAddOf(spec, request),
      };
    },
    reply: {
      mode: 'job',
      idField: 'JobId',
      parseSubmit: (response) => parseJobId(spec.submitAction, 'JobId', response),
      parseQuery: (response, requestId, jobId, now) =>
        parseStatusCodeQuery(spec.queryAction ?? spec.submitAction, response, requestId, jobId, now, spec.resultUrlLifetimeMs),
    },
  });
}

export function createHunyuanTextToImageLite(spec: ModelSpec): Provider {
  return defineProvider(spec, {
    check(request) {
      checkReferenceImages(spec, request, undefined);
      if (request.resolution !== undefined) checkResolutionInSet(spec.submitAction, request.resolution, spec.resolutions);
    },
    params(request) {
      const negative = negativePromptOf(request);
      const chosenStyle = styleOf(spec, request);
      return {
        Prompt: promptOf(request),
        ...(negative !== undefined && { NegativePrompt: negative }),
        ...(chosenStyle !== undefined && { Style: chosenStyle }),
        Resolution: request.resolution ?? spec.defaultResolution,
        LogoAdd: logoAddOf(spec, request),
        // base64, not url: the image arrives with the reply (no second download, no 1-hour URL
        // that a slow save or a reload could outlive); the reply is ~1.4× the image, which a
        // 768–1920 px result keeps to a few MB.
        RspImgType: 'base64',
      };
    },
    reply: {
      mode: 'sync',
      parse: (response, requestId, now) => parseSyncReply(spec.submitAction, response, requestId, now, spec.resultUrlLifetimeMs),
    },
  });
}
