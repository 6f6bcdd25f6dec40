// A core engine of its own for tests that drive a component (the task panel) without the
// extension's studio: client, file saver and job engine sharing one proxy policy.
import { FileImageSaver } from '../../../src/core/images/saver';
import { GenerationEngine } from '../../../src/core/jobs/engine';
import type { Journal } from '../../../src/core/jobs/ports';
import { getProvider } from '../../../src/core/providers/catalog';
import { type ApiLanguage, type CredentialsProvider, TencentCloudClient } from '../../../src/core/tencent/client';
import { ProxyRoutingDispatcher, type ProxySettings } from '../../../src/core/tencent/proxy';

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
