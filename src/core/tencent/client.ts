/**
 * The HTTP client behind CloudCaller: one signed `POST /` per API call (tencent-api.md §1–§2).
 *
 * The part that matters most for billing is telling the engine whether a failed request may have
 * reached the server. None of the image submit actions has an idempotency token, so a submit that
 * may have arrived must not be sent again. We learn it from undici's `onConnect`, which fires right
 * before the request is written to a connected socket: any failure before it (refused, DNS,
 * connect timeout, proxy refusal) certainly sent nothing; any failure after it may have.
 */
import type { Dispatcher } from './undici';
import type { ApiCall } from '../providers/types';
import type { CallOptions, CallReply, CloudCaller } from './caller';
import { defaultEndpoint, parseEndpointOverride } from './endpoint';
import { parseEnvelope } from './envelope';
import {
  cancelledError,
  httpStatusError,
  malformedReplyError,
  missingCredentialsError,
  networkError,
  proxyRefusedError,
  timeoutError,
} from './error-catalog';
import { StudioError } from './errors';
import { proxyRefusalStatus, ProxyRoutingDispatcher, type ProxySettings } from './proxy';
import { DEFAULT_REGION, SERVICES } from './services';
import { signRequest, type Credentials } from './signer';

/** Called before every request, so rotated or refreshed (STS) keys take effect at once. */
export type CredentialsProvider = () => Credentials | undefined | Promise<Credentials | undefined>;

export type ApiLanguage = 'zh-CN' | 'en-US';

export interface TencentClientOptions {
  readonly credentials: CredentialsProvider;
  /**
   * Sent as `X-TC-Region` (except to a service that serves one region only, which gets that one);
   * without it, `ap-guangzhou` is sent only where the service requires a region.
   */
  readonly region?: string;
  /** `X-TC-Language`: the language of the cloud's error messages. */
  readonly language?: ApiLanguage;
  /** Per-request time limit, ms (connect to last byte of the reply). Default 30 s. */
  readonly timeoutMs?: number;
  /** One URL for every request (https, or http on loopback). Default: each service's own domain. */
  readonly endpoint?: string;
  readonly proxy?: ProxySettings;
  /** Epoch ms, for `X-TC-Timestamp`; tests pin it. */
  readonly clock?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** The only content type signed and sent; lower case because the canonical headers are. */
export const CONTENT_TYPE = 'application/json';
/** Sync models return base64 images inline, so replies can be megabytes; anything beyond this is not a reply we asked for. */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

interface RawReply {
  readonly status: number;
  readonly body: string;
}

export class TencentCloudClient implements CloudCaller {
  private readonly endpoint: URL | undefined;
  private readonly dispatcher: ProxyRoutingDispatcher;
  private readonly timeoutMs: number;
  private readonly clock: () => number;

  /** Throws a validation StudioError for a bad endpoint, proxy URL or timeout. */
  constructor(private readonly options: TencentClientOptions) {
    this.endpoint = options.endpoint === undefined ? undefined : parseEndpointOverride(options.endpoint);
    this.dispatcher = new ProxyRoutingDispatcher(options.proxy);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0 && Number.isFinite(this.timeoutMs))) {
      throw new RangeError('timeoutMs must be a positive number of milliseconds');
    }
    this.clock = options.clock ?? Date.now;
  }

  async call(call: ApiCall, callOptions: CallOptions = {}): Promise<CallReply> {
    const { signal } = callOptions;
    if (signal?.aborted) throw cancelledError();
    const credentials = await this.options.credentials();
    if (!credentials?.secretId || !credentials.secretKey) throw missingCredentialsError();
    if (signal?.aborted) throw cancelledError();

    const service = SERVICES[call.service];
    const pinned = callOptions.target;
    const endpoint = pinned ? pinned.endpoint : this.options.endpoint;
    const regionSetting = pinned ? pinned.region : this.options.region;
    // A pinned endpoint passed this same check when it was in the settings; it is checked again
    // because it comes back from storage.
    const override = pinned ? endpoint && parseEndpointOverride(endpoint) : this.endpoint;
    const target = override || defaultEndpoint(call.service);
    const body = Buffer.from(JSON.stringify(call.params), 'utf8');
    const timestamp = Math.floor(this.clock() / 1000);
    // Signed with the host name alone (as the official SDK signs URL.hostname) and the action's own
    // service, so one override URL can serve every service; Host below still carries the port.
    const { authorization } = signRequest({
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      service: service.id,
      host: target.hostname,
      timestamp,
      body,
      contentType: CONTENT_TYPE,
      method: 'POST',
    });
    const region = service.onlyRegion ?? regionSetting ?? (service.regionRequired ? DEFAULT_REGION : undefined);
    const headers: Record<string, string> = {
      Host: target.host,
      'Content-Type': CONTENT_TYPE,
      Authorization: authorization,
      'X-TC-Action': call.action,
      'X-TC-Version': service.version,
      'X-TC-Timestamp': String(timestamp),
      ...(region ? { 'X-TC-Region': region } : {}),
      ...(credentials.sessionToken ? { 'X-TC-Token': credentials.sessionToken } : {}),
      ...(this.options.language ? { 'X-TC-Language': this.options.language } : {}),
    };

    const reply = await exchange(this.dispatcher, target.origin, headers, body, callOptions.timeoutMs ?? this.timeoutMs, signal);
    // The SDK treats any non-200 as a transport failure: the body is not an envelope.
    if (reply.status !== 200) throw httpStatusError(reply.status);
    return { ...parseEnvelope(reply.body), target: { ...(endpoint && { endpoint }), ...(regionSetting && { region: regionSetting }) } };
  }

  /** Drops pooled connections and any request still waiting for one; calls made afterwards fail. */
  async close(): Promise<void> {
    await this.dispatcher.destroy();
  }
}

/**
 * One request/reply exchange through undici's dispatcher API. Settles exactly once: with the
 * reply, or with a StudioError whose `mayHaveReachedServer` says whether the request was written.
 */
function exchange(
  dispatcher: Dispatcher,
  origin: string,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<RawReply> {
  return new Promise<RawReply>((resolve, reject) => {
    let written = false;
    let abortRequest: ((error?: Error) => void) | undefined;
    let settled = false;
    let status = 0;
    let size = 0;
    const chunks: Buffer[] = [];

    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    // Giving up ourselves: reject now and tear the request down; undici's onError then finds us settled.
    const giveUp = (error: StudioError): void => {
      settle(() => reject(error));
      abortRequest?.(error);
    };
    const onAbort = (): void => giveUp(cancelledError());
    const timer = setTimeout(() => giveUp(timeoutError(timeoutMs, written)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    dispatcher.dispatch(
      { origin, path: '/', method: 'POST', headers, body },
      {
        onConnect(abort) {
          // A connection that came up after we gave up: stop before a byte is written.
          if (settled) return abort();
          written = true;
          abortRequest = abort;
        },
        onHeaders(statusCode) {
          status = statusCode;
          return true;
        },
        onData(chunk) {
          size += chunk.length;
          if (size > MAX_REPLY_BYTES) {
            giveUp(malformedReplyError(`Reply larger than ${MAX_REPLY_BYTES} bytes`));
            return false;
          }
          chunks.push(chunk);
          return true;
        },
        onComplete() {
          settle(() => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
        },
        onError(error) {
          const refusedWith = written ? undefined : proxyRefusalStatus(error);
          settle(() => reject(refusedWith === undefined ? networkError(error, written) : proxyRefusedError(refusedWith)));
        },
      },
    );
  });
}
