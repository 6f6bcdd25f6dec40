/**
 * Shapes shared by the catalog, the providers and the job engine. A provider turns one
 * GenerationRequest into cloud calls and turns the replies into one GenerationResult, whatever
 * the API family; nothing outside src/core/providers knows a field name of a Tencent API.
 */
import type { Localized, StudioError } from '../tencent/errors';
import type { ServiceId } from '../tencent/services';

export type ModelId =
  | 'hunyuan-image-job'
  | 'hunyuan-text-to-image-lite'
  | 'aiart-image-to-image'
  | 'aiart-text-to-image-job'
  | 'aiart-text-to-image-rapid'
  | 'aiart-text-to-image-lite'
  | 'aiart-text-to-image-pro-job'
  | 'mps-aigc-image';

/** A reference image as bytes read from disk; the provider encodes it as the API wants. */
export interface ReferenceImage {
  readonly bytes: Uint8Array;
  /** File name, for messages only. */
  readonly name?: string;
}

/** What the user asked for, independent of API family. Optional fields fall back to the model's defaults. */
export interface GenerationRequest {
  readonly modelId: ModelId;
  readonly prompt: string;
  readonly negativePrompt?: string;
  /** `W:H`, e.g. `1024:1024` (`origin` for style transfer). */
  readonly resolution?: string;
  /** A style code from the model's list (hunyuan `riman`, aiart `201`, rapid `1`..`30`). */
  readonly style?: string;
  /** Number of images (only models with count > 1 accept more). */
  readonly count?: number;
  /** Positive integer for a fixed seed; undefined for random. */
  readonly seed?: number;
  /** Visible "AI generated" mark (LogoAdd). Undefined = the model's default. */
  readonly watermark?: boolean;
  readonly referenceImages?: readonly ReferenceImage[];
  /** Style-transfer strength in (0, 1]. */
  readonly strength?: number;
  /** Prompt rewriting (hunyuan/aiart `Revise`). */
  readonly revise?: boolean;
  /** MPS only: free-text model name and version (`Hunyuan` / `3.0`). */
  readonly mpsModelName?: string;
  readonly mpsModelVersion?: string;
}

/** One returned image: a (short-lived) URL to download, or the bytes inline as base64. */
export type ResultImage =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'base64'; readonly data: string };

export interface GenerationResult {
  readonly images: readonly ResultImage[];
  readonly seed?: number;
  readonly revisedPrompt?: string;
  readonly requestId: string;
  readonly jobId?: string;
  /** Per-image detail strings from the cloud (`Success` = fine), aligned with `images` when given. */
  readonly details?: readonly string[];
  /** When the result URLs stop working (epoch ms), from the model's documented lifetime. */
  readonly expiresAt?: number;
}

/** What one poll of an async job says. */
export type JobStatus =
  | { readonly state: 'queued' | 'running'; readonly requestId: string }
  | { readonly state: 'done'; readonly result: GenerationResult }
  | { readonly state: 'failed'; readonly error: StudioError };

/** One API call, ready for the client. */
export interface ApiCall {
  readonly service: ServiceId;
  readonly action: string;
  readonly params: Record<string, unknown>;
}

export interface StyleOption {
  readonly code: string;
  readonly label: Localized;
}

/** The documented facts about one model the user can pick (design.md "Catalog"). */
export interface ModelSpec {
  readonly id: ModelId;
  readonly label: Localized;
  readonly service: ServiceId;
  /** `sync`: one call returns images; `job`: submit returns an id, query until done. */
  readonly mode: 'sync' | 'job';
  readonly submitAction: string;
  readonly queryAction?: string;
  /** Max prompt length in characters (Unicode code points), and whether a prompt is required. */
  readonly promptLimit: number;
  readonly promptRequired: boolean;
  /** Max negative-prompt length; undefined when the model has no negative prompt. */
  readonly negativePromptLimit?: number;
  /** Allowed resolutions (`W:H`); for rule-based models, the values offered in pickers. */
  readonly resolutions: readonly string[];
  readonly defaultResolution: string;
  readonly styles: readonly StyleOption[];
  readonly defaultStyle?: string;
  readonly count: { readonly min: number; readonly max: number; readonly default: number };
  readonly supportsSeed: boolean;
  readonly referenceImages: {
    readonly max: number;
    /** Whether at least one reference image is required (style transfer). */
    readonly required: boolean;
  };
  /** Concurrency pool this model's jobs run in, and its documented default size. */
  readonly pool: { readonly id: string; readonly defaultSize: number };
  /** Documented request-rate limits per action, requests per second. */
  readonly rateLimits: Readonly<Record<string, number>>;
  /** How long result URLs stay valid, ms. */
  readonly resultUrlLifetimeMs: number;
  /** Whether the visible AI mark is on by default for this API. */
  readonly watermarkDefault: boolean;
}

/** The per-family logic behind a ModelSpec. Pure: no I/O. */
export interface Provider {
  readonly spec: ModelSpec;
  /** Throws a StudioError of kind `invalid` naming the limit; nothing may be sent when it throws. */
  validate(request: GenerationRequest): void;
  /** The submit (job) or the only (sync) call. Calls validate first. */
  buildSubmit(request: GenerationRequest): ApiCall;
  /** Sync models: the reply of buildSubmit's call, without the envelope. */
  parseSync(response: Record<string, unknown>, requestId: string, now: number): GenerationResult;
  /** Job models: the job id from the submit reply. */
  parseSubmit(response: Record<string, unknown>): string;
  buildQuery(jobId: string): ApiCall;
  parseQuery(response: Record<string, unknown>, requestId: string, jobId: string, now: number): JobStatus;
}
