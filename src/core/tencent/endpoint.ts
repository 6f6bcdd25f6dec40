/**
 * Where requests go. By default each service's own domain over https; an override URL (the
 * `endpoint` setting, the simulated cloud) sends every request to one place. Plain http is allowed
 * only on loopback, where nothing can read the signed request on the wire.
 */
import { isIP } from 'node:net';
import { validationError } from './error-catalog';
import type { StudioError } from './errors';
import { SERVICES, type ServiceId } from './services';

/**
 * `localhost`, 127.0.0.0/8 and ::1 (with or without the URL brackets): names that never leave this
 * computer. Not `*.localhost` nor `localhost.` (a fully qualified name): without a resolver that
 * special-cases them they go to DNS, which may answer with any address, and a signed request would
 * then cross the network in plain http.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && host === '::1';
}

function invalidEndpoint(en: string, zh: string): StudioError {
  return validationError(
    'Client.InvalidEndpoint',
    { en, zh },
    {
      en: 'Set the endpoint to an https URL such as https://hunyuan.tencentcloudapi.com, or leave it empty to use the service domains.',
      zh: '请将终端地址设为 https 地址（例如 https://hunyuan.tencentcloudapi.com），或留空以使用各服务的默认域名。',
    },
  );
}

/**
 * Checks an endpoint override and returns it as the origin URL requests are POSTed to (path `/`).
 * Throws a validation StudioError naming what is wrong; the URL is never echoed whole because a
 * mistyped one could carry a password.
 */
export function parseEndpointOverride(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw invalidEndpoint('The endpoint is not a valid URL.', '终端地址不是有效的 URL。');
  }
  if (url.username || url.password) {
    throw invalidEndpoint('The endpoint must not contain a user name or password.', '终端地址不能包含用户名或密码。');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw invalidEndpoint(
      `The endpoint ${url.protocol}//${url.host} is not allowed: use https (plain http only for a loopback address such as 127.0.0.1).`,
      `不允许使用终端地址 ${url.protocol}//${url.host}：请使用 https（仅回环地址如 127.0.0.1 可用 http）。`,
    );
  }
  // API 3.0 signs the path `/`; a path or query would make the signed request differ from the one sent.
  if (url.pathname !== '/' || url.search || url.hash) {
    throw invalidEndpoint(
      `The endpoint ${url.protocol}//${url.host} must have no path or query (API 3.0 always posts to "/").`,
      `终端地址 ${url.protocol}//${url.host} 不能包含路径或查询参数（API 3.0 始终请求 "/"）。`,
    );
  }
  return url;
}

/** The service's own domain, used when no override is set. */
export function defaultEndpoint(service: ServiceId): URL {
  return new URL(`https://${SERVICES[service].host}/`);
}
