// A real HTTP CONNECT proxy on loopback for the proxy tests: it opens a TCP tunnel per CONNECT (or
// refuses it with 403, like a corporate proxy's policy), counts the tunnels and their targets, and
// reads the plain-HTTP requests that pass through each tunnel (the simulated cloud speaks http on
// loopback), so a test can prove that every API call and download went through it.
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface Tunnel {
  /** `host:port` as asked for in the CONNECT line. */
  readonly target: string;
  /** Requests seen inside the tunnel: `POST / <X-TC-Action>` for API calls, `GET <path>` otherwise. */
  readonly requests: string[];
}

export interface ConnectProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Tunnels opened, in order. */
  readonly tunnels: Tunnel[];
  /** CONNECT targets refused (mode 'refuse'). */
  readonly refused: string[];
  /** Every request seen in any tunnel, in order. */
  requests(): string[];
  close(): Promise<void>;
}

/** Splits a client's byte stream into HTTP/1.1 requests (Content-Length bodies: what undici sends). */
class RequestReader {
  private buffer = Buffer.alloc(0);

  constructor(private readonly onRequest: (summary: string) => void) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [requestLine = '', ...headerLines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map(headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const length = Number(headers.get('content-length') ?? 0);
      if (this.buffer.length < end + 4 + length) return;
      const [method = '', path = ''] = requestLine.split(' ');
      const action = headers.get('x-tc-action');
      this.onRequest(action ? `${method} ${path} ${action}` : `${method} ${path.split('?')[0]}`);
      this.buffer = this.buffer.subarray(end + 4 + length);
    }
  }
}

/** Starts the proxy on 127.0.0.1: 'tunnel' forwards every CONNECT, 'refuse' answers 403 Forbidden. */
export async function startConnectProxy(mode: 'tunnel' | 'refuse'): Promise<ConnectProxy> {
  const tunnels: Tunnel[] = [];
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_request, response) => {
    // Only CONNECT is offered: a plain proxied GET would bypass what the tests count.
    response.writeHead(405, { 'Content-Type': 'text/plain' }).end('CONNECT only');
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const target = request.url ?? '';
    if (mode === 'refuse') {
      refused.push(target);
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const separator = target.lastIndexOf(':');
    const upstream = connect(Number(target.slice(separator + 1)), target.slice(0, separator).replace(/^\[(.*)\]$/, '$1'));
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    const tunnel: Tunnel = { target, requests: [] };
    tunnels.push(tunnel);
    const reader = new RequestReader((summary) => tunnel.requests.push(summary));
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) {
        reader.push(head);
        upstream.write(head);
      }
      client.on('data', (chunk: Buffer) => reader.push(chunk));
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    refused,
    requests: () => tunnels.flatMap((tunnel) => tunnel.requests),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
