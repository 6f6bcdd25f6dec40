/**
 * One HTTP request through the simulated cloud: API calls at `POST /` (authenticated, routed by
 * the service in the credential scope, rate-limited, validated, handled) and result downloads at
 * `GET /results/...`. Fault switches act here, around the real processing.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AIART_ACTIONS } from './actions/aiart';
import type { ActionDef, CloudContext, ServiceName } from './actions/context';
import { HUNYUAN_ACTIONS } from './actions/hunyuan';
import { MPS_ACTIONS } from './actions/mps';
import { ApiError, errorEnvelope, successEnvelope } from './api-error';
import { forService, inScope, takeReset, type FaultState } from './faults';
import { RateLimiter } from './limits';
import { headerValue, parseAuthorization, verifyRequest, type Credentials } from './signature';
import { parseParams } from './validate';

interface ServiceRules {
  readonly version: string;
  /** `guangzhou`: required and only ap-guangzhou; `required`: one of `regions`; `optional`: anything or nothing. */
  readonly region: 'guangzhou' | 'required' | 'optional';
  readonly regions?: readonly string[];
}

const SERVICES: Readonly<Record<ServiceName, ServiceRules>> = {
  hunyuan: { version: '2023-09-01', region: 'guangzhou' },
  // The aiart domains the docs list (tencent-api.md §1.7).
  aiart: { version: '2022-12-29', region: 'required', regions: ['ap-guangzhou', 'ap-shanghai', 'ap-nanjing', 'ap-beijing'] },
  mps: { version: '2019-06-12', region: 'optional' },
};

/** Each service's answer for an account that has not activated it (tencent-api.md §3–§5). */
const NOT_ACTIVATED: Readonly<Record<ServiceName, { code: string; message: string }>> = {
  hunyuan: { code: 'FailedOperation.ServiceNotActivated', message: 'The service is not activated. Please activate it in the console.' },
  aiart: { code: 'ResourceUnavailable.NotExist', message: 'The billing status is unknown; please check whether the service is activated in the console.' },
  mps: { code: 'FailedOperation.InvalidMpsUser', message: 'The user is not a valid MPS user; please activate the service in the console.' },
};

const ACTIONS = new Map<string, ActionDef>(
  [...HUNYUAN_ACTIONS, ...AIART_ACTIONS, ...MPS_ACTIONS].map((action) => [`${action.service}.${action.name}`, action]),
);

/** TC3 POST bodies are limited to 10 MB (tencent-api.md §1.1). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface RouterDeps {
  readonly credentials: Credentials;
  readonly context: CloudContext;
  readonly results: { serve(req: IncomingMessage, res: ServerResponse, faults: FaultState, nowMs: number): void };
  /** Counts every request that reached a known action (after authentication). */
  countRequest(action: string): void;
}

function isService(name: string): name is ServiceName {
  return Object.prototype.hasOwnProperty.call(SERVICES, name);
}

/** Reads the whole body; answers undefined when it is over the limit (the rest is drained). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(total > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function checkRegion(service: ServiceName, region: string | undefined): void {
  const rules = SERVICES[service];
  if (rules.region === 'optional') return;
  if (region === undefined || region === '') throw new ApiError('MissingParameter', 'The request is missing a required parameter `Region`.');
  const allowed = rules.region === 'guangzhou' ? ['ap-guangzhou'] : (rules.regions ?? []);
  if (!allowed.includes(region)) throw new ApiError('UnsupportedRegion', `The ${service} API does not support the region \`${region}\`.`);
}

export class Router {
  private readonly limiter = new RateLimiter();

  constructor(private readonly deps: RouterDeps) {}

  /** The node:http request listener. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path?.startsWith('/results/')) {
      this.deps.results.serve(req, res, this.deps.context.faults(), this.deps.context.now());
      return;
    }
    if (path !== '/') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    this.handleApi(req, res).catch((error: unknown) => {
      // A bug in the simulated cloud: answer like the cloud's own internal error, and say so on stderr.
      console.error('fake-cloud internal error:', error);
      if (!res.headersSent) this.sendJson(res, errorEnvelope('InternalError', 'Internal error of the simulated cloud.', randomUUID()));
    });
  }

  private sendJson(res: ServerResponse, body: string): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const body = await readBody(req);
    const faults = this.deps.context.faults();
    const kind = /^(Query|Describe)/.test(headerValue(req.headers, 'x-tc-action') ?? '') ? 'query' : 'submit';
    if (inScope(faults.serverError, kind)) {
      await delay(faults.latencyMs);
      const page = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>stgw</center></body></html>';
      res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(page) }).end(page);
      return;
    }
    let reply: string;
    try {
      if (body === undefined) throw new ApiError('RequestSizeLimitExceeded', `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
      reply = successEnvelope(await this.process(req, body), requestId);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      reply = errorEnvelope(error.code, error.message, requestId);
    }
    await delay(faults.latencyMs);
    if (takeReset(faults, kind)) {
      req.socket.destroy();
      return;
    }
    this.sendJson(res, inScope(faults.malformedJson, kind) ? reply.slice(0, Math.floor(reply.length / 2)) : reply);
  }

  /** Authenticates, routes and runs one API call; throws ApiError for every refusal. */
  private async process(req: IncomingMessage, body: Buffer): Promise<Record<string, unknown>> {
    const { context, credentials } = this.deps;
    if (req.method !== 'POST') {
      throw new ApiError('UnsupportedOperation', 'The simulated cloud accepts API calls as POST with application/json only.');
    }
    const auth = parseAuthorization(req.headers);
    if (!isService(auth.service)) throw new ApiError('NoSuchProduct', `The product \`${auth.service}\` does not exist.`);
    verifyRequest({ method: 'POST', query: '', headers: req.headers, body }, auth, credentials, context.now());
    if (!/^application\/json\b/i.test(headerValue(req.headers, 'content-type') ?? '')) {
      throw new ApiError('InvalidParameter', 'Content-Type must be application/json for TC3 POST requests.');
    }
    const actionName = headerValue(req.headers, 'x-tc-action');
    if (!actionName) throw new ApiError('MissingParameter', 'The request is missing a required parameter `X-TC-Action`.');
    const version = headerValue(req.headers, 'x-tc-version');
    if (!version) throw new ApiError('MissingParameter', 'The request is missing a required parameter `X-TC-Version`.');
    if (version !== SERVICES[auth.service].version) {
      throw new ApiError('NoSuchVersion', `The requested version \`${version}\` of service \`${auth.service}\` does not exist.`);
    }
    const action = ACTIONS.get(`${auth.service}.${actionName}`);
    if (!action) throw new ApiError('InvalidAction', `The action \`${actionName}\` of service \`${auth.service}\` does not exist.`);
    checkRegion(auth.service, headerValue(req.headers, 'x-tc-region'));
    this.deps.countRequest(action.name);
    this.checkAccount(auth.service);
    this.checkRate(action);
    return action.handle(parseParams(body, action.schema), context);
  }

  /** CAM permission and service activation, as the fault switches set them; the key itself was fine. */
  private checkAccount(service: ServiceName): void {
    const faults = this.deps.context.faults();
    if (forService(faults.unauthorized, service)) {
      throw new ApiError('AuthFailure.UnauthorizedOperation', 'The request is not authorized by CAM: the sub-account has no policy for this action.');
    }
    if (forService(faults.notActivated, service)) throw new ApiError(NOT_ACTIVATED[service].code, NOT_ACTIVATED[service].message);
  }

  private checkRate(action: ActionDef): void {
    const { context } = this.deps;
    const faults = context.faults();
    if (faults.stormRemaining > 0) {
      faults.stormRemaining -= 1;
      context.countLimitError();
      throw new ApiError('RequestLimitExceeded', 'Your current request rate exceeds the frequency limit. Please reduce the frequency of calls.');
    }
    if (action.ratePerSecond !== undefined && !this.limiter.allow(`${action.service}.${action.name}`, action.ratePerSecond, context.now())) {
      context.countLimitError();
      throw new ApiError(
        'RequestLimitExceeded',
        `Your current request times exceed the frequency limit \`${action.ratePerSecond}\` for a second. Please reduce the frequency of calls.`,
      );
    }
  }
}
