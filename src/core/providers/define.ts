/**
 * Turns a catalog entry plus an API family's three pieces (model-specific checks, the request
 * fields, the reply reading) into a Provider, so every model validates in the same order and no
 * model can build a request that skipped validation.
 */
import type { ApiCall, GenerationRequest, GenerationResult, JobStatus, ModelSpec, Provider, StyleOption } from './types';
import { checkBodySize, checkCommon } from './validate';

export interface SyncParts {
  readonly mode: 'sync';
  parse(response: Record<string, unknown>, requestId: string, now: number): GenerationResult;
}

export interface JobParts {
  readonly mode: 'job';
  /** The id field of the submit reply, also the one field of the query request. */
  readonly idField: 'JobId' | 'TaskId';
  parseSubmit(response: Record<string, unknown>): string;
  parseQuery(response: Record<string, unknown>, requestId: string, jobId: string, now: number): JobStatus;
}

export interface ProviderParts {
  /** Checks beyond checkCommon: resolution, reference images, anything only this API has. */
  check(request: GenerationRequest): void;
  /** The request fields; called only after every check passed. */
  params(request: GenerationRequest): Record<string, unknown>;
  readonly reply: SyncParts | JobParts;
}

function wrongMode(spec: ModelSpec, method: string): never {
  // A programming error in the engine, not something a user can cause.
  throw new Error(`${method} called on ${spec.mode} model ${spec.id}`);
}

export function defineProvider(spec: ModelSpec, parts: ProviderParts): Provider {
  if (parts.reply.mode !== spec.mode) throw new Error(`${spec.id}: catalog says ${spec.mode}, provider says ${parts.reply.mode}`);

  const build = (request: GenerationRequest): ApiCall => {
    if (request.modelId !== spec.id) throw new Error(`Request for ${request.modelId} given to ${spec.id}`);
    checkCommon(spec, request);
    parts.check(request);
    const params = parts.params(request);
    checkBodySize(spec.submitAction, params);
    return { service: spec.service, action: spec.submitAction, params };
  };

  const reply = parts.reply;
  return {
    spec,
    validate(request) {
      // The body-size limit can only be judged on the built body, so validation builds it.
      build(request);
    },
    buildSubmit: build,
    parseSync(response, requestId, now) {
      return reply.mode === 'sync' ? reply.parse(response, requestId, now) : wrongMode(spec, 'parseSync');
    },
    parseSubmit(response) {
      return reply.mode === 'job' ? reply.parseSubmit(response) : wrongMode(spec, 'parseSubmit');
    },
    buildQuery(jobId) {
      if (reply.mode !== 'job' || spec.queryAction === undefined) return wrongMode(spec, 'buildQuery');
      return { service: spec.service, action: spec.queryAction, params: { [reply.idField]: jobId } };
    },
    parseQuery(response, requestId, jobId, now) {
      return reply.mode === 'job' ? reply.parseQuery(response, requestId, jobId, now) : wrongMode(spec, 'parseQuery');
    },
  };
}

/** A style code with its English and Chinese names, as the catalog lists them. */
export function style(code: string, en: string, zh: string): StyleOption {
  return { code, label: { en, zh } };
}
