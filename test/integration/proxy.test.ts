// Requests through a proxy, in the real extension against the simulated cloud, with a real CONNECT
// proxy on loopback (support/connect-proxy.ts) that counts its tunnels and reads the requests in them.
//
// The simulated cloud is plain http on 127.0.0.1, and loopback targets go direct by default (a local
// server is not behind the corporate proxy). Rather than a test-only switch, the tests use the
// bypass-list rule users already have for this, Chromium's `<-loopback>`: listed in `http.noProxy`
// or NO_PROXY, it sends loopback through the proxy too (src/core/tencent/proxy.ts). Everything else
// is the product's ordinary path: VS Code's `http.proxy` (user settings) or HTTPS_PROXY, undici's
// CONNECT tunnel, the same routing for API calls and result downloads.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GenerateOutcome } from '../../src/vscode/commands/generation';
import { useFakeCloud } from './support/cloud';
import { type ConnectProxy, startConnectProxy } from './support/connect-proxy';
import { newWorkspaceEntries, workspaceEntries } from './support/leftovers';
import { toldUser } from './support/told-user';
import { closeAllEditors, removeAll } from './support/workspace';

const PROXY_ENV = ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const;

function generate(prompt: string): Thenable<GenerateOutcome> {
  return vscode.commands.executeCommand<GenerateOutcome>('imageStudio.generate', prompt);
}

/** `http.proxy` and `http.noProxy` are user (application) settings: set them there, restore afterwards. */
async function setProxySettings(proxy: string | undefined, noProxy: string[] | undefined): Promise<() => Promise<void>> {
  const http = vscode.workspace.getConfiguration('http');
  const previous = { proxy: http.inspect('proxy')?.globalValue, noProxy: http.inspect('noProxy')?.globalValue };
  await http.update('proxy', proxy, vscode.ConfigurationTarget.Global);
  await http.update('noProxy', noProxy, vscode.ConfigurationTarget.Global);
  return async () => {
    const current = vscode.workspace.getConfiguration('http');
    await current.update('proxy', previous.proxy, vscode.ConfigurationTarget.Global);
    await current.update('noProxy', previous.noProxy, vscode.ConfigurationTarget.Global);
  };
}

/** Sets the proxy environment variables of this extension-host process (the extension reads them per command). */
function setProxyEnvironment(values: Partial<Record<(typeof PROXY_ENV)[number], string>>): () => void {
  const saved = PROXY_ENV.map((key) => [key, process.env[key]] as const);
  for (const key of PROXY_ENV) {
    if (values[key] === undefined) delete process.env[key];
    else process.env[key] = values[key];
  }
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

describe('proxy', () => {
  const fake = useFakeCloud({ jobSeconds: 0.3 });
  let proxy: ConnectProxy | undefined;
  let restore: (() => Promise<void> | void)[] = [];
  let requestsBefore: Record<string, number>;
  let before: string[];

  beforeEach(async () => {
    await closeAllEditors();
    await removeAll('assets');
    // Whatever the machine's environment says, each test sets its own proxy.
    restore.push(setProxyEnvironment({}));
    requestsBefore = fake.cloud.stats().requests;
    before = workspaceEntries();
  });

  afterEach(async () => {
    for (const undo of restore.reverse()) await undo();
    restore = [];
    await proxy?.close();
    proxy = undefined;
  });

  /** API requests the cloud received during this test, as `POST / <Action>` lines, sorted. */
  function cloudRequests(): string[] {
    const now = fake.cloud.stats().requests;
    return Object.entries(now).flatMap(([action, count]) => Array<string>(count - (requestsBefore[action] ?? 0)).fill(`POST / ${action}`)).sort();
  }

  function assertEverythingTunnelled(outcome: GenerateOutcome): void {
    assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
    const cloudHost = `127.0.0.1:${fake.cloud.port}`;
    assert.ok(proxy!.tunnels.length >= 2, `API calls and the download each opened a tunnel (${proxy!.tunnels.length})`);
    assert.deepEqual([...new Set(proxy!.tunnels.map((tunnel) => tunnel.target))], [cloudHost], 'every tunnel led to the cloud');
    const seen = proxy!.requests();
    const apiCalls = seen.filter((request) => request.startsWith('POST / ')).sort();
    assert.deepEqual(apiCalls, cloudRequests(), 'every API call the cloud received came through the proxy');
    assert.ok(apiCalls.includes('POST / SubmitHunyuanImageJob') && apiCalls.includes('POST / QueryHunyuanImageJob'));
    assert.equal(seen.filter((request) => /^GET \/results\/[0-9a-f]{32}\.png$/.test(request)).length, 1, 'the result download came through the proxy');
    assert.deepEqual(newWorkspaceEntries(before), ['assets/', 'assets/generated/', outcome.files[0]!]);
  }

  it('through VS Code\'s http.proxy: every API call and the result download go through the CONNECT tunnel', async () => {
    proxy = await startConnectProxy('tunnel');
    restore.push(await setProxySettings(proxy.url, ['<-loopback>']));
    assertEverythingTunnelled(await generate('a lighthouse behind a corporate proxy'));
  });

  it('through HTTPS_PROXY when http.proxy is empty', async () => {
    proxy = await startConnectProxy('tunnel');
    restore.push(await setProxySettings(undefined, undefined));
    restore.push(setProxyEnvironment({ HTTPS_PROXY: proxy.url, NO_PROXY: '<-loopback>' }));
    assertEverythingTunnelled(await generate('a harbour behind HTTPS_PROXY'));
  });

  it('http.noProxy naming the endpoint bypasses the proxy: no tunnel at all', async () => {
    proxy = await startConnectProxy('tunnel');
    restore.push(await setProxySettings(proxy.url, ['<-loopback>', '127.0.0.1']));
    const outcome = await generate('a kite that goes direct');
    assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
    assert.deepEqual(proxy.tunnels, []);
    assert.ok(cloudRequests().includes('POST / SubmitHunyuanImageJob'), 'the cloud was reached directly');
  });

  it('NO_PROXY naming the endpoint bypasses HTTPS_PROXY: no tunnel at all', async () => {
    proxy = await startConnectProxy('tunnel');
    restore.push(await setProxySettings(undefined, undefined));
    restore.push(setProxyEnvironment({ HTTPS_PROXY: proxy.url, NO_PROXY: `<-loopback>,127.0.0.1:${fake.cloud.port}` }));
    const outcome = await generate('a boat that goes direct');
    assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
    assert.deepEqual(proxy.tunnels, []);
  });

  it('a proxy that refuses: a clear Client.ProxyRefused error, and nothing reaches the cloud', async () => {
    proxy = await startConnectProxy('refuse');
    restore.push(await setProxySettings(proxy.url, ['<-loopback>']));
    const outcome = await generate('a picture the proxy will not let through');
    assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.errorCode, 'Client.ProxyRefused');
    const told = await toldUser(outcome.taskId);
    assert.match(told, /The proxy refused to connect to Tencent Cloud \(HTTP 403\); nothing was sent\./);
    assert.match(told, /http\.proxy/);
    assert.deepEqual(proxy.refused, [`127.0.0.1:${fake.cloud.port}`], 'asked once, not retried against a policy refusal');
    assert.deepEqual(cloudRequests(), [], 'nothing was sent to the cloud');
    assert.deepEqual(newWorkspaceEntries(before), []);
  });
});
