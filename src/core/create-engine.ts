// The engine wired together: client, saver and job engine sharing one proxy policy. The VS Code
// layer (src/vscode/studio.ts) builds one of these; tests and benchmarks can too.
import { FileImageSaver } from './images/saver';
import { GenerationEngine } from './jobs/engine';
import type { Journal } from './jobs/ports';
import { getProvider } from './providers/catalog';
import { type ApiLanguage, type CredentialsProvider, TencentCloudClient } from './tencent/client';
import { ProxyRoutingDispatcher, type ProxySettings } from './tencent/proxy';

export interface StudioEngineOptions {
  readonly credentials: CredentialsProvider;
  readonly journal: Journal;
  /** One URL for every API call (the simulated cloud, a private gateway); default: Tencent's domains. */
  readonly endpoint?: string;
  readonly region?: string;
  readonly language?: ApiLanguage;
  /** Used for API calls and result downloads alike. */
  readonly proxy?: ProxySettings;
  /** Pool id -> size, for accounts with concurrency add-on packs. */
  readonly poolSizes?: Readonly<Record<string, number>>;
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface StudioEngine {
  readonly engine: GenerationEngine;
  readonly client: TencentCloudClient;
  dispose(): Promise<void>;
}

/** Throws a validation StudioError for a bad endpoint or proxy setting, before anything is sent. */
export function createStudioEngine(options: StudioEngineOptions): StudioEngine {
  const client = new TencentCloudClient({
    credentials: options.credentials,
    endpoint: options.endpoint,
    region: options.region,
    language: options.language,
    proxy: options.proxy,
    timeoutMs: options.timeoutMs,
  });
  const downloads = new ProxyRoutingDispatcher(options.proxy);
  const engine = new GenerationEngine({
    caller: client,
    saver: new FileImageSaver({ dispatcher: downloads }),
    journal: options.journal,
    getProvider,
    poolSizes: options.poolSizes,
    log: options.log,
  });
  return {
    engine,
    client,
    async dispose() {
      engine.dispose();
      await Promise.all([client.close(), downloads.destroy()]);
    },
  };
}
