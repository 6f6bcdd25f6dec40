/**
 * Request validation the way the cloud's API gateway and services answer it: field names and
 * JSON types first (UnknownParameter / InvalidParameter / MissingParameter), then values with
 * each service's own codes (tencent-api.md §2.2, §3.8, §4.7, §5.4).
 */
import { ApiError } from './api-error';

export type FieldType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | { readonly object: Schema }
  | { readonly array: FieldType };

/** The request fields of one action (from the official SDK's *_models.d.ts). */
export type Schema = Readonly<Record<string, FieldType>>;

export type Params = Readonly<Record<string, unknown>>;

function typeName(type: FieldType): string {
  if (typeof type === 'string') return type[0]!.toUpperCase() + type.slice(1);
  return 'object' in type ? 'Object' : `Array of ${typeName(type.array)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkValue(value: unknown, type: FieldType, path: string): void {
  const ok =
    type === 'string'
      ? typeof value === 'string'
      : type === 'integer'
        ? typeof value === 'number' && Number.isInteger(value)
        : type === 'number'
          ? typeof value === 'number' && Number.isFinite(value)
          : type === 'boolean'
            ? typeof value === 'boolean'
            : 'object' in type
              ? isPlainObject(value)
              : Array.isArray(value);
  if (!ok) {
    throw new ApiError('InvalidParameter', `The value type of parameter \`${path}\` is invalid: expected ${typeName(type)}.`);
  }
  if (typeof type === 'object' && 'object' in type) checkObject(value as Record<string, unknown>, type.object, `${path}.`);
  if (typeof type === 'object' && 'array' in type) {
    (value as unknown[]).forEach((item, index) => checkValue(item, type.array, `${path}.${index}`));
  }
}

function checkObject(value: Record<string, unknown>, schema: Schema, prefix: string): void {
  for (const [key, fieldValue] of Object.entries(value)) {
    const type = schema[key];
    if (type === undefined) throw new ApiError('UnknownParameter', `The parameter \`${prefix}${key}\` is not recognized.`);
    checkValue(fieldValue, type, `${prefix}${key}`);
  }
}

/** Parses the body and checks every field name and JSON type against the action's schema. */
export function parseParams(body: Buffer, schema: Schema): Params {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (!isPlainObject(parsed)) throw new ApiError('InvalidParameter', 'The request body must be a JSON object.');
  checkObject(parsed, schema, '');
  return parsed;
}

/** The value codes each service answers (they differ: aiart has dedicated ones, hunyuan reuses one). */
export interface ValueCodes {
  /** Any wrong field value. */
  readonly value: string;
  readonly textTooLong: string;
  readonly imageEmpty: string;
  readonly imageDecode: string;
  /** Image bytes (base64) over the size limit. */
  readonly imageTooBig: string;
  /** Image sides outside the allowed range. */
  readonly imageResolution: string;
  readonly imageDownload: string;
  readonly urlIllegal: string;
}

export function optionalString(params: Params, field: string): string | undefined {
  return params[field] as string | undefined;
}

export function optionalNumber(params: Params, field: string): number | undefined {
  return params[field] as number | undefined;
}

export function requireField<T>(params: Params, field: string): T {
  const value = params[field];
  if (value === undefined) throw new ApiError('MissingParameter', `The request is missing a required parameter \`${field}\`.`);
  return value as T;
}

/** Prompt length is counted in Unicode code points (a CJK character or an emoji counts 1). */
export function codePoints(text: string): number {
  return [...text].length;
}

/** A prompt-like text field: required or optional, not blank, at most `limit` code points. */
export function checkText(params: Params, field: string, limit: number, codes: ValueCodes, required: boolean): string | undefined {
  const value = required ? requireField<string>(params, field) : optionalString(params, field);
  if (value === undefined) return undefined;
  if (required && value.trim() === '') throw new ApiError(codes.value, `\`${field}\` must not be empty.`);
  const length = codePoints(value);
  if (length > limit) {
    throw new ApiError(codes.textTooLong, `\`${field}\` is ${length} characters long; the limit is ${limit}.`);
  }
  return value;
}

export function checkOneOf<T extends string>(value: T | undefined, field: string, allowed: readonly string[], codes: ValueCodes): T | undefined {
  if (value !== undefined && !allowed.includes(value)) {
    throw new ApiError(codes.value, `\`${field}\` value \`${value}\` is not supported; use one of: ${allowed.join(', ')}.`);
  }
  return value;
}

export function checkRange(value: number | undefined, field: string, min: number, max: number, codes: ValueCodes): number | undefined {
  if (value !== undefined && (value < min || value > max)) {
    throw new ApiError(codes.value, `\`${field}\` must be between ${min} and ${max}; got ${value}.`);
  }
  return value;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** `W:H` -> size; anything else is a value error. */
export function parseResolution(text: string, field: string, codes: ValueCodes): Size {
  const match = /^(\d{1,5}):(\d{1,5})$/.exec(text);
  if (!match) throw new ApiError(codes.value, `\`${field}\` must look like W:H (e.g. 1024:1024); got \`${text}\`.`);
  const size = { width: Number(match[1]), height: Number(match[2]) };
  if (size.width === 0 || size.height === 0) throw new ApiError(codes.value, `\`${field}\` sides must be positive; got \`${text}\`.`);
  return size;
}

/** A resolution from a fixed list (hunyuan, aiart Pro, ImageToImage). */
export function checkResolutionIn(text: string | undefined, fallback: string, field: string, allowed: readonly string[], codes: ValueCodes): Size {
  const value = text ?? fallback;
  checkOneOf(value, field, allowed, codes);
  return parseResolution(value, field, codes);
}

const FLEX_RATIOS: ReadonlyArray<readonly [number, number]> = [
  [1, 1],
  [3, 4],
  [4, 3],
  [9, 16],
  [16, 9],
];
const FLEX_LONG_SIDES = [160, 200, 225, 258, 512, 520, 608, 768, 1024, 1080, 1280, 1600, 1620, 1920, 2048, 2400, 2560, 2592, 3440, 3840, 4096];

/**
 * aiart TextToImageLite / TextToImageRapid (§4.5): ratio 1:1, 3:4, 4:3, 9:16 or 16:9 with the long
 * side from a fixed list. The short side may be rounded (e.g. 225 at 3:4), so it may differ from
 * the exact ratio by less than one pixel.
 */
export function checkFlexibleResolution(text: string | undefined, field: string, codes: ValueCodes): Size {
  const size = parseResolution(text ?? '1024:1024', field, codes);
  const long = Math.max(size.width, size.height);
  const ratioOk = FLEX_RATIOS.some(([w, h]) => Math.abs(size.width * h - size.height * w) < Math.max(w, h));
  if (!FLEX_LONG_SIDES.includes(long) || !ratioOk) {
    throw new ApiError(
      codes.value,
      `\`${field}\` ${size.width}:${size.height} is not supported: use ratio 1:1, 3:4, 4:3, 9:16 or 16:9 with the long side one of ${FLEX_LONG_SIDES.join(', ')}.`,
    );
  }
  return size;
}

/** Free W:H with both sides in [min, max] and W×H ≤ maxPixels (aiart 3.0, MPS Hunyuan 3.0). */
export function checkFreeSize(size: Size, field: string, min: number, max: number, maxPixels: number, codes: ValueCodes): Size {
  if (size.width < min || size.width > max || size.height < min || size.height > max || size.width * size.height > maxPixels) {
    throw new ApiError(
      codes.value,
      `\`${field}\` ${size.width}x${size.height} is not supported: each side must be in [${min}, ${max}] and width x height at most ${maxPixels}.`,
    );
  }
  return size;
}
