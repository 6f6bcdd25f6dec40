/**
 * The core engine as the extension runs it. One GenerationEngine lives for the whole session (the
 * task panel and the status bar watch it, and its tasks must not vanish when a setting changes);
 * what the settings shape (endpoint, region, timeout, proxy, language) is the HTTP client and the
 * download dispatcher behind it, and those are swapped when the settings change. A replaced client
 * is closed only once its calls in flight have answered, so a running task is never cut off.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FileImageSaver } from '../core/images/saver';
import { GenerationEngine } from '../core/jobs/engine';
import type { Journal } from '../core/jobs/ports';
import type { ApiCall } from '../core/providers/types';
import { getProvider } from '../core/providers/catalog';
import type { CallOptions, CallReply, CloudCaller } from '../core/tencent/caller';
import { type ApiLanguage, type CredentialsProvider, TencentCloudClient } from '../core/tencent/client';
import { ProxyRoutingDispatcher, type ProxySettings } from '../core/tencent/proxy';
import { asStudioError, describeError, prefersChinese, showStudioError } from './commands/messages';
import type { StudioLog } from './log';
import { type StudioSettings, userLevelValue, type WorkspaceTrust } from './settings';
import { WorkspaceImageSaver } from './workspace-saver';

/** VS Code's `http.proxy` (undici does not see VS Code's own proxy support), else HTTPS_PROXY; NO_PROXY and `http.noProxy`. */
export function proxyFromEnvironment(environment: NodeJS.ProcessEnv = process.env, trust: WorkspaceTrust = { trusted: vscode.workspace.isTrusted }): ProxySettings | undefined {
  const http = vscode.workspace.getConfiguration('http');
  // An untrusted workspace must not route signed requests through a proxy of its choosing (see settings.ts).
  const read = <T>(name: string, fallback: T): T => (trust.trusted ? (http.get<T>(name) ?? fallback) : userLevelValue(http, name, fallback));
  const url = read('proxy', '').trim() || environment.HTTPS_PROXY || environment.https_proxy;
  if (!url) return undefined;
  const noProxy = [environment.NO_PROXY ?? environment.no_proxy ?? '', ...read<string[]>('noProxy', [])].filter((entry) => entry !== '');
  return { url, noProxy };
}

interface ClientShape {
  readonly endpoint?: string;
  readonly region: string;
  readonly timeoutMs: number;
  readonly proxy?: ProxySettings;
  readonly language: ApiLanguage;
}

function shapeOf(settings: StudioSettings): ClientShape {
  return {
    endpoint: settings.endpoint,
    region: settings.region,
    timeoutMs: settings.requestTimeoutSeconds * 1000,
    proxy: proxyFromEnvironment(),
    language: prefersChinese() ? 'zh-CN' : 'en-US',
  };
}

/** A client plus the calls it still has in flight, so it can be closed once they are answered. */
interface Generation {
  readonly client?: TencentCloudClient;
  /** Set when the settings could not make a client (bad proxy URL, bad endpoint): every call fails with it. */
  readonly broken?: Error;
  readonly downloads?: ProxyRoutingDispatcher;
  inFlight: number;
  retired: boolean;
}

/** The CloudCaller the engine (and checkConnection) use; it always calls the newest client. */
export class ReconfigurableCaller implements CloudCaller {
  constructor(private readonly current: () => Generation) {}

  async call(call: ApiCall, options?: CallOptions): Promise<CallReply> {
    const generation = this.current();
    if (!generation.client) throw generation.broken;
    generation.inFlight++;
    try {
      return await generation.client.call(call, options);
    } finally {
      generation.inFlight--;
      if (generation.retired && generation.inFlight === 0) void closeGeneration(generation);
    }
  }
}

async function closeGeneration(generation: Generation): Promise<void> {
  await Promise.all([generation.client?.close(), generation.downloads?.destroy()]).catch(() => undefined);
}

export interface EngineHostOptions {
  readonly credentials: CredentialsProvider;
  readonly journal: Journal;
  readonly log: StudioLog;
  readonly settings: StudioSettings;
  /**
   * The settings as they are now, read before every API call. A window that has just reloaded can
   * start (and resume polling its journalled jobs) before VS Code has handed it the user's settings,
   * and no change event need follow when they arrive; reading them per call puts the next query on
   * the right endpoint as soon as they are there.
   */
  readonly currentSettings?: () => StudioSettings;
  /** Private scratch space for downloads before they go into the workspace. */
  readonly storage?: vscode.Uri;
}

export class EngineHost implements vscode.Disposable {
  readonly engine: GenerationEngine;
  readonly caller: ReconfigurableCaller;
  readonly saver: WorkspaceImageSaver;
  private generation: Generation;
  private shape: string;
  private fileSaver: FileImageSaver;

  constructor(private readonly options: EngineHostOptions) {
    this.shape = JSON.stringify(shapeOf(options.settings));
    this.generation = this.build(shapeOf(options.settings));
    this.fileSaver = new FileImageSaver({ dispatcher: this.generation.downloads });
    this.caller = new ReconfigurableCaller(() => {
      if (options.currentSettings) this.update(options.currentSettings());
      return this.generation;
    });
    const temporaryRoot = options.storage?.scheme === 'file' ? path.join(options.storage.fsPath, 'downloads') : path.join(os.tmpdir(), 'aigc-image-studio');
    this.saver = new WorkspaceImageSaver({ temporaryRoot, fileSaver: () => this.fileSaver });
    this.engine = new GenerationEngine({
      caller: this.caller,
      saver: this.saver,
      journal: options.journal,
      getProvider,
      poolSizes: options.settings.concurrency,
      log: (line) => options.log.info(line),
    });
  }

  /** Applies changed settings: pool sizes at once; a new client only when what shapes it changed. */
  update(settings: StudioSettings): void {
    this.engine.setPoolSizes(settings.concurrency);
    const shape = shapeOf(settings);
    const key = JSON.stringify(shape);
    if (key === this.shape) return;
    this.shape = key;
    const previous = this.generation;
    this.generation = this.build(shape);
    this.fileSaver = new FileImageSaver({ dispatcher: this.generation.downloads });
    previous.retired = true;
    if (previous.inFlight === 0) void closeGeneration(previous);
    this.options.log.info(`Connection settings changed: endpoint ${shape.endpoint ?? '(service domains)'}, region ${shape.region}, timeout ${shape.timeoutMs} ms, proxy ${shape.proxy ? 'on' : 'off'}`);
  }

  dispose(): void {
    this.engine.dispose();
    this.generation.retired = true;
    void closeGeneration(this.generation);
  }

  private build(shape: ClientShape): Generation {
    try {
      const client = new TencentCloudClient({
        credentials: this.options.credentials,
        endpoint: shape.endpoint,
        region: shape.region,
        timeoutMs: shape.timeoutMs,
        proxy: shape.proxy,
        language: shape.language,
      });
      return { client, downloads: new ProxyRoutingDispatcher(shape.proxy), inFlight: 0, retired: false };
    } catch (error) {
      // A bad proxy or endpoint: say so now, and let every task fail with the same clear error.
      const studioError = asStudioError(error);
      this.options.log.error(`Cannot build the cloud client: ${describeError(studioError)}`);
      showStudioError(studioError);
      return { broken: studioError, inFlight: 0, retired: false };
    }
  }
}
