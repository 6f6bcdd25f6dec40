/**
 * The parts of undici we use, imported one by one. undici's index also loads fetch, WebSocket,
 * EventSource, the HTTP cache and the mock agents — about 140 KB of our bundle that the extension
 * never runs — so importing the dispatchers directly keeps the .vsix within its size budget
 * (design.md: 300 KB). Types still come from undici's published declarations.
 */
import type * as Undici from 'undici';

/* eslint-disable @typescript-eslint/no-require-imports */
export const Dispatcher = require('undici/lib/dispatcher/dispatcher') as typeof Undici.Dispatcher;
const apiRequest = require('undici/lib/api/api-request') as Undici.Dispatcher['request'];
const apiConnect = require('undici/lib/api/api-connect') as Undici.Dispatcher['connect'];

// What undici's index does for every dispatcher, limited to the two methods in use: request() for
// downloads, and connect(), which ProxyAgent calls to open its CONNECT tunnel.
Object.assign(Dispatcher.prototype, { request: apiRequest, connect: apiConnect });

export type Agent = Undici.Agent;
export type ProxyAgent = Undici.ProxyAgent;
export type Dispatcher = Undici.Dispatcher;
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace Dispatcher {
  export type DispatchOptions = Undici.Dispatcher.DispatchOptions;
  export type DispatchHandlers = Undici.Dispatcher.DispatchHandlers;
  export type ResponseData = Undici.Dispatcher.ResponseData;
}

// The connection machinery (pools, clients, and the HTTP parser that undici decodes from base64 and
// compiles from WebAssembly as its module loads) is required on the first request, not when the
// studio loads: opening the gallery, the first thing many sessions do, makes no request at all.

export function newAgent(): Undici.Agent {
  const Agent = require('undici/lib/dispatcher/agent') as typeof Undici.Agent;
  return new Agent();
}

export function newProxyAgent(options: Undici.ProxyAgent.Options): Undici.ProxyAgent {
  const ProxyAgent = require('undici/lib/dispatcher/proxy-agent') as typeof Undici.ProxyAgent;
  return new ProxyAgent(options);
}
/* eslint-enable @typescript-eslint/no-require-imports */

let sharedAgent: Undici.Agent | undefined;

/** The dispatcher for requests that were not given one (undici's own global default, without its index). */
export function defaultDispatcher(): Undici.Dispatcher {
  sharedAgent ??= newAgent();
  return sharedAgent;
}
