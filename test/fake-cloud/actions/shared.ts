/** Request pieces hunyuan and aiart share: LogoParam, LogoAdd, RspImgType. */
import { ApiError } from '../api-error';
import { loadImage, type UrlFetcher } from '../image-input';
import { checkOneOf, type FieldType, type Params, type ValueCodes } from '../validate';

export const LOGO_PARAM: FieldType = {
  object: {
    LogoUrl: 'string',
    LogoImage: 'string',
    LogoRect: { object: { X: 'integer', Y: 'integer', Width: 'integer', Height: 'integer' } },
  },
};

/** A custom watermark must be a real image (URL wins over base64, as for other images). */
export async function checkLogo(params: Params, codes: ValueCodes, fetchUrl: UrlFetcher): Promise<void> {
  const logo = params['LogoParam'] as { LogoUrl?: string; LogoImage?: string } | undefined;
  if (!logo || (logo.LogoUrl === undefined && logo.LogoImage === undefined)) return;
  await loadImage(
    { url: logo.LogoUrl, base64: logo.LogoImage },
    'LogoParam',
    { formats: ['png', 'jpeg', 'bmp', 'webp', 'tiff'], minSideExclusive: 0, maxSideExclusive: 5000, maxBase64Bytes: 8 * 1024 * 1024 },
    codes,
    fetchUrl,
  );
}

/** `RspImgType`: `base64` (default) or `url`. */
export function rspImgType(params: Params, codes: ValueCodes): 'base64' | 'url' {
  return checkOneOf(params['RspImgType'] as 'base64' | 'url' | undefined, 'RspImgType', ['base64', 'url'], codes) ?? 'base64';
}

/** Positive integer = fixed seed; omitted or 0 = random. */
export function fixedSeed(params: Params, field: string, codes: ValueCodes, max = 4294967295): number | undefined {
  const seed = params[field] as number | undefined;
  if (seed === undefined || seed === 0) return undefined;
  if (seed < 0 || seed > max) {
    throw new ApiError(codes.value, `\`${field}\` must be between 1 and ${max}; got ${seed}.`);
  }
  return seed;
}
