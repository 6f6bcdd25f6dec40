/**
 * Fault switches: `name` or `name=value`, from FakeCloudOptions.faults, the CLI's --fault, or
 * FakeCloud.setFaults at run time. An unknown name or a bad value throws, so a typo in a test
 * cannot silently switch nothing on.
 *
 *   latency=MS            delay every API reply by MS milliseconds
 *   5xx[=SCOPE]           HTTP 502 with an HTML body, before the request is processed
 *   malformed-json[=SCOPE] the request is processed, the 200 reply body is cut-off JSON
 *   reset[=SCOPE]         the request is processed (a submit creates a billed job), then the
 *                         socket is destroyed instead of replying: the client cannot know
 *   reset-times=N         `reset` switches itself off after N resets (a network blip rather than
 *                         an outage); without it, `reset` goes on for as long as it is set
 *   rate-limit-storm=N    the next N authenticated API requests answer RequestLimitExceeded
 *   moderation-text       submits and sync calls answer OperationDenied.TextIllegalDetected
 *                         (mps: InvalidParameter.ViolationContent, its documented code)
 *   moderation-image      jobs end failed with FailedOperation.GenerateImageFailed; sync calls answer it
 *   job-failure           jobs end failed ("4" / FAIL) with an engine error; sync calls answer it
 *   truncated-download    result URLs announce the full Content-Length, send half, then drop the socket
 *   oversized-download    result URLs stream 64 MB without a Content-Length
 *   wrong-content-type    result URLs serve an HTML page as text/html
 *   non-image-download    result URLs serve bytes that are no image, labelled image/png
 *   redirect-download=N   result URLs redirect N times (to themselves) before serving the image
 *   redirect-download=file  result URLs redirect to file:///etc/hostname (another scheme)
 *   stored-png            PNG results are drawn without compression (deflate stored blocks in 64 KB
 *                         IDAT chunks): about width × height × 3 bytes, like the photographs the
 *                         real services return, e.g. 20 MB at 2592:2592 (the save-memory benchmark)
 *   unauthorized[=SERVICE] authenticated requests answer AuthFailure.UnauthorizedOperation (a
 *                         sub-account without the service's CAM policy)
 *   not-activated[=SERVICE] authenticated requests answer the service's "not activated" code:
 *                         hunyuan FailedOperation.ServiceNotActivated, aiart
 *                         ResourceUnavailable.NotExist, mps FailedOperation.InvalidMpsUser
 *
 * SCOPE is `submit` (submit and sync actions), `query` (Query*, Describe*) or `all` (default).
 * SERVICE is `hunyuan`, `aiart`, `mps` or `all` (default).
 */
export type FaultScope = 'all' | 'submit' | 'query';
export type ServiceScope = 'all' | 'hunyuan' | 'aiart' | 'mps';

export interface FaultState {
  latencyMs: number;
  serverError?: FaultScope;
  malformedJson?: FaultScope;
  reset?: FaultScope;
  /** Resets still to happen before `reset` stops (reset-times); undefined = no limit. Counts down. */
  resetRemaining?: number;
  /** Requests still to be refused by the storm; counts down. */
  stormRemaining: number;
  moderationText: boolean;
  moderationImage: boolean;
  jobFailure: boolean;
  truncatedDownload: boolean;
  oversizedDownload: boolean;
  wrongContentType: boolean;
  nonImageDownload: boolean;
  /** redirect-download: hops before the image, or 'file' for a redirect to another scheme. */
  redirectDownload?: number | 'file';
  storedPng: boolean;
  unauthorized?: ServiceScope;
  notActivated?: ServiceScope;
}

function parseScope(name: string, value: string | undefined): FaultScope {
  const scope = value ?? 'all';
  if (scope !== 'all' && scope !== 'submit' && scope !== 'query') {
    throw new Error(`fault ${name}: scope must be submit, query or all; got "${scope}"`);
  }
  return scope;
}

function parseService(name: string, value: string | undefined): ServiceScope {
  const service = value ?? 'all';
  if (service !== 'all' && service !== 'hunyuan' && service !== 'aiart' && service !== 'mps') {
    throw new Error(`fault ${name}: service must be hunyuan, aiart, mps or all; got "${service}"`);
  }
  return service;
}

function parseCount(name: string, value: string | undefined): number {
  const count = Number(value);
  if (value === undefined || !Number.isInteger(count) || count < 0) {
    throw new Error(`fault ${name} needs a non-negative integer value, e.g. ${name}=3`);
  }
  return count;
}

function noValue(name: string, value: string | undefined): true {
  if (value !== undefined) throw new Error(`fault ${name} takes no value`);
  return true;
}

export function parseFaults(faults: readonly string[]): FaultState {
  const state: FaultState = {
    latencyMs: 0,
    stormRemaining: 0,
    moderationText: false,
    moderationImage: false,
    jobFailure: false,
    truncatedDownload: false,
    oversizedDownload: false,
    wrongContentType: false,
    nonImageDownload: false,
    storedPng: false,
  };
  for (const fault of faults) {
    const eq = fault.indexOf('=');
    const name = eq < 0 ? fault : fault.slice(0, eq);
    const value = eq < 0 ? undefined : fault.slice(eq + 1);
    switch (name) {
      case 'latency':
        state.latencyMs = parseCount(name, value);
        break;
      case '5xx':
        state.serverError = parseScope(name, value);
        break;
      case 'malformed-json':
        state.malformedJson = parseScope(name, value);
        break;
      case 'reset':
        state.reset = parseScope(name, value);
        break;
      case 'reset-times':
        state.resetRemaining = parseCount(name, value);
        break;
      case 'rate-limit-storm':
        state.stormRemaining = parseCount(name, value);
        break;
      case 'moderation-text':
        state.moderationText = noValue(name, value);
        break;
      case 'moderation-image':
        state.moderationImage = noValue(name, value);
        break;
      case 'job-failure':
        state.jobFailure = noValue(name, value);
        break;
      case 'truncated-download':
        state.truncatedDownload = noValue(name, value);
        break;
      case 'oversized-download':
        state.oversizedDownload = noValue(name, value);
        break;
      case 'wrong-content-type':
        state.wrongContentType = noValue(name, value);
        break;
      case 'non-image-download':
        state.nonImageDownload = noValue(name, value);
        break;
      case 'redirect-download':
        state.redirectDownload = value === 'file' ? 'file' : parseCount(name, value);
        break;
      case 'stored-png':
        state.storedPng = noValue(name, value);
        break;
      case 'unauthorized':
        state.unauthorized = parseService(name, value);
        break;
      case 'not-activated':
        state.notActivated = parseService(name, value);
        break;
      default:
        throw new Error(`unknown fault "${name}"`);
    }
  }
  if (state.resetRemaining !== undefined && state.reset === undefined) {
    throw new Error('fault reset-times limits the reset fault: switch on reset (e.g. reset=query) too');
  }
  return state;
}

/** Whether a reset applies to a request of this kind now; counts it down when reset-times limits it. */
export function takeReset(state: FaultState, kind: 'submit' | 'query'): boolean {
  if (!inScope(state.reset, kind)) return false;
  if (state.resetRemaining === undefined) return true;
  if (state.resetRemaining === 0) return false;
  state.resetRemaining -= 1;
  return true;
}

/** Whether a per-service fault applies to a request to this service. */
export function forService(scope: ServiceScope | undefined, service: string): boolean {
  return scope === 'all' || scope === service;
}

/** Whether a scoped fault applies to a request of this kind. */
export function inScope(scope: FaultScope | undefined, kind: 'submit' | 'query'): boolean {
  return scope === 'all' || scope === kind;
}
