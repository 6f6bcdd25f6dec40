/**
 * The implicit AI-generated label of GB 45438-2025 (the `AIGC` JSON object) and our generation
 * record: how they are built, serialised and — from untrusted files — parsed back.
 *
 * Parsing never throws: a hostile or damaged file yields `undefined` or only the fields that are
 * valid, so the gallery can show what it can.
 */
import { randomUUID } from 'node:crypto';
import type { AigcLabel, GenerationRecord } from './record';

/** Our name as the propagator of the content (GB 45438: the service that saves/spreads the file). */
export const CONTENT_PROPAGATOR = 'AIGC Image Studio';

/** The seven keys, in the order the standard lists them. */
const LABEL_KEYS = [
  'Label',
  'ContentProducer',
  'ProduceID',
  'ReservedCode1',
  'ContentPropagator',
  'PropagateID',
  'ReservedCode2',
] as const;

/** The service that produced an image, named from the catalog model id (`hunyuan-…`, `aiart-…`, `mps-…`). */
export function contentProducerFor(modelId: string): string {
  if (modelId.startsWith('hunyuan')) return 'Tencent Cloud Hunyuan';
  if (modelId.startsWith('aiart')) return 'Tencent Cloud aiart';
  if (modelId.startsWith('mps')) return 'Tencent Cloud MPS';
  return modelId;
}

/**
 * The label for one saved file: produced by the cloud service (ProduceID = its JobId, else the
 * RequestId), propagated by us with a fresh per-file PropagateID. Reserved codes stay empty.
 */
export function buildAigcLabel(record: GenerationRecord, propagateId: string = randomUUID()): AigcLabel {
  return {
    Label: '1',
    ContentProducer: contentProducerFor(record.model),
    ProduceID: record.jobId ?? record.requestId ?? '',
    ReservedCode1: '',
    ContentPropagator: CONTENT_PROPAGATOR,
    PropagateID: propagateId,
    ReservedCode2: '',
  };
}

/**
 * JSON that is safe to embed in XML and in PNG text: besides what JSON.stringify already escapes
 * (controls, lone surrogates), C1 controls and U+FFFE/U+FFFF are escaped, because XML 1.0 rejects
 * or discourages them. They can only occur inside JSON strings, where `\uXXXX` means the same.
 */
export function toEmbeddableJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A label found in a file. It counts as a label only when it is a JSON object with a string
 * `Label`; the other keys are kept when they are strings and otherwise read as "" (all seven keys
 * are always present in what we return).
 */
export function parseAigcLabel(text: string): AigcLabel | undefined {
  const value = parseJsonObject(text);
  if (!value || typeof value.Label !== 'string') return undefined;
  const entries = LABEL_KEYS.map((key) => [key, typeof value[key] === 'string' ? value[key] : ''] as const);
  return Object.fromEntries(entries) as unknown as AigcLabel;
}

const OPTIONAL_STRINGS = ['negativePrompt', 'size', 'style', 'requestId', 'jobId', 'revisedPrompt'] as const;

/**
 * Our record read back from a file. `prompt`, `model` and `time` must be strings or there is no
 * record; optional fields of the wrong type are dropped, unknown fields ignored.
 */
export function parseGenerationRecord(text: string): GenerationRecord | undefined {
  const value = parseJsonObject(text);
  if (!value || typeof value.prompt !== 'string' || typeof value.model !== 'string' || typeof value.time !== 'string') {
    return undefined;
  }
  const record: Record<string, string | number> = { prompt: value.prompt, model: value.model, time: value.time };
  for (const key of OPTIONAL_STRINGS) {
    if (typeof value[key] === 'string') record[key] = value[key];
  }
  if (typeof value.seed === 'number' && Number.isFinite(value.seed)) record.seed = value.seed;
  return record as unknown as GenerationRecord;
}
