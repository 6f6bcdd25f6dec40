/**
 * Which requests go through the configured proxy. undici does not see VS Code's own proxy support,
 * so the caller passes the proxy URL it found (VS Code's `http.proxy`, else `HTTPS_PROXY`) and the
 * NO_PROXY list; this module decides per target, with the usual NO_PROXY conventions.
 */
import { BlockList, isIP } from 'node:net';
import { type Agent, Dispatcher, newAgent, newProxyAgent, type ProxyAgent } from './undici';
import { isLoopbackHost } from './endpoint';
import { validationError } from './error-catalog';

export interface ProxySettings {
  /** `http://[user:password@]host:port` or `https://...`; may carry credentials, so never logged. */
  readonly url: string;
  /**
   * NO_PROXY entries; each may itself be a comma- or space-separated list (so `[process.env.NO_PROXY]`
   * and VS Code's `http.noProxy` array both fit). `*` bypasses everything; `example.com`, `.example.com`
   * and `*.example.com` match the domain and its subdomains; `host:port` only that port; `10.0.0.0/8` a subnet.
   * `<-loopback>` (Chromium's bypass-list rule, usable in `http.noProxy` and NO_PROXY) sends loopback
   * targets through the proxy too, like `proxyLoopback`.
   */
  readonly noProxy?: readonly string[];
  /** Loopback targets bypass the proxy unless this is true (a local server is not behind the proxy). */
  readonly proxyLoopback?: boolean;
}

/**
 * The HTTP status with which the proxy refused to open a tunnel, or undefined when `error` is
 * something else. undici reports it only in its message ("Proxy response (403) !== 200 when HTTP
 * Tunneling"); a refused tunnel means nothing reached the cloud.
 */
export function proxyRefusalStatus(error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : '';
  const match = /^Proxy response \((\d{3})\) !== 200/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Checks the proxy URL; the message never repeats it, since it may contain a password. */
export function parseProxyUrl(proxyUrl: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(proxyUrl.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw validationError(
      'Client.InvalidProxy',
      { en: 'The proxy setting is not an http:// or https:// URL.', zh: '代理设置不是 http:// 或 https:// 地址。' },
      { en: 'Fix http.proxy in the settings or the HTTPS_PROXY environment variable.', zh: '请修正设置中的 http.proxy 或环境变量 HTTPS_PROXY。' },
    );
  }
  return url;
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

function stripBrackets(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

function matchesEntry(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  const subnet = /^(.+)\/(\d{1,3})$/.exec(entry);
  if (subnet) {
    const family = isIP(host);
    const base = stripBrackets(subnet[1]!);
    if (family === 0 || isIP(base) !== family) return false;
    const list = new BlockList();
    list.addSubnet(base, Number(subnet[2]), family === 4 ? 'ipv4' : 'ipv6');
    return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }
  // host[:port], where host may be a bracketed IPv6 literal; a bare IPv6 literal has no port.
  const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
  const entryHost = stripBrackets(hostPort ? hostPort[1]! : entry).replace(/^\*?\./, '');
  if (hostPort?.[2] && hostPort[2] !== port) return false;
  return host === entryHost || host.endsWith(`.${entryHost}`);
}

/** Chromium's rule that removes the implicit loopback bypass (a local gateway reached through the proxy). */
export const PROXY_LOOPBACK_RULE = '<-loopback>';

/** Whether a request to `target` should go through the proxy. */
export function shouldUseProxy(target: URL, settings: ProxySettings): boolean {
  const entries = (settings.noProxy ?? [])
    .flatMap((item) => item.split(/[\s,]+/))
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  const proxyLoopback = settings.proxyLoopback === true || entries.includes(PROXY_LOOPBACK_RULE);
  if (isLoopbackHost(target.hostname) && !proxyLoopback) return false;
  const host = stripBrackets(target.hostname.toLowerCase()).replace(/\.$/, '');
  const port = defaultPort(target);
  return !entries.some((entry) => entry !== PROXY_LOOPBACK_RULE && matchesEntry(entry, host, port));
}

/**
 * One dispatcher for every request we make (API calls and result downloads): each request goes
 * through the proxy or direct, by its own origin, so API calls and downloads follow the same rules.
 */
export class ProxyRoutingDispatcher extends Dispatcher {
  private readonly proxyUrl: URL | undefined;
  private direct: Agent | undefined;
  private proxied: ProxyAgent | undefined;

  /** Throws a validation StudioError for a bad proxy URL. */
  constructor(private readonly settings?: ProxySettings) {
    super();
    this.proxyUrl = settings === undefined ? undefined : parseProxyUrl(settings.url);
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    return this.route(new URL(String(options.origin))).dispatch(options, handler);
  }

  override async close(): Promise<void> {
    await Promise.all([this.direct?.close(), this.proxied?.close()]);
  }

  override async destroy(): Promise<void> {
    await Promise.all([this.direct?.destroy(), this.proxied?.destroy()]);
  }

  private route(target: URL): Dispatcher {
    if (this.proxyUrl && this.settings && shouldUseProxy(target, this.settings)) {
      // undici 6 tunnels every proxied request with CONNECT, http targets included.
      this.proxied ??= newProxyAgent({ uri: this.proxyUrl.href });
      return this.proxied;
    }
    this.direct ??= newAgent();
    return this.direct;
  }
}
