// The simulated Tencent Cloud for integration tests: started inside the extension host process on
// loopback (real TC3 signature checks), with the extension pointed at it the way a user would do
// it — `imageStudio.endpoint` in the workspace settings, the key pair in the SDK's environment
// variables (the extension falls back to them when SecretStorage holds nothing).
import * as vscode from 'vscode';
import { startFakeCloud, TEST_CREDENTIALS, type FakeCloud, type FakeCloudOptions } from '../../fake-cloud/index';
import { updateWorkspaceSettings } from './settings';

export { TEST_CREDENTIALS };

const ENV_KEYS = ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN'] as const;

export interface UseFakeCloudOptions extends FakeCloudOptions {
  /**
   * 'environment' (default): TENCENTCLOUD_SECRET_ID/KEY (and _SESSION_TOKEN when `sessionToken` is
   * set) hold the pair the simulator accepts. 'none': they are removed for the suite, for tests of
   * the missing-credential path (the extension must then find no credentials unless SecretStorage
   * holds some — a test that stores secrets clears them again).
   */
  credentials?: 'environment' | 'none';
  /** More workspace settings for the suite, keys as in updateWorkspaceSettings ('count' = imageStudio.count). */
  settings?: Record<string, unknown>;
}

export interface FakeCloudHandle {
  /** The running simulator (stats(), setFaults()); only inside tests/hooks of the suite. */
  readonly cloud: FakeCloud;
  /** http://127.0.0.1:PORT, the value of imageStudio.endpoint during the suite. */
  readonly url: string;
}

/**
 * Mocha hooks for the enclosing describe(): before() starts the simulator and points the extension
 * at it; after() restores the settings and environment variables and stops it. Call it at the top
 * of a describe() body and use the returned handle inside its tests.
 */
export function useFakeCloud(options: UseFakeCloudOptions = {}): FakeCloudHandle {
  const { credentials = 'environment', settings = {}, ...cloudOptions } = options;
  let cloud: FakeCloud | undefined;
  let restoreSettings: (() => Promise<void>) | undefined;
  let restoreEnvironment: (() => void) | undefined;

  before(async function () {
    this.timeout(30_000);
    // Each suite starts with empty pools: a task some earlier suite left behind (one that does not
    // use this helper) must not hold a pool slot while this suite counts running and queued tasks.
    await vscode.commands.executeCommand('imageStudio.cancelAll');
    cloud = await startFakeCloud(cloudOptions);
    restoreEnvironment = setEnvironmentCredentials(
      credentials === 'none'
        ? undefined
        : {
            secretId: cloudOptions.secretId ?? TEST_CREDENTIALS.secretId,
            secretKey: cloudOptions.secretKey ?? TEST_CREDENTIALS.secretKey,
            sessionToken: cloudOptions.sessionToken,
          },
    );
    restoreSettings = await updateWorkspaceSettings({ endpoint: cloud.url, ...settings });
  });

  after(async function () {
    this.timeout(30_000);
    // A task still polling a cloud that is about to go away would keep retrying its status query
    // (queries are patient by design) and hold its pool slot into the next suite.
    await vscode.commands.executeCommand('imageStudio.cancelAll');
    await restoreSettings?.();
    restoreEnvironment?.();
    await cloud?.close();
    cloud = undefined;
  });

  return {
    get cloud(): FakeCloud {
      if (!cloud) throw new Error('the simulated cloud runs only inside the tests of the describe() that called useFakeCloud()');
      return cloud;
    },
    get url(): string {
      return this.cloud.url;
    },
  };
}

/**
 * Sets (or, with undefined, removes) the TENCENTCLOUD_* variables in this extension-host process,
 * which the extension shares; returns a function that restores the earlier values.
 */
export function setEnvironmentCredentials(
  pair: { secretId: string; secretKey: string; sessionToken?: string | undefined } | undefined,
): () => void {
  const saved = ENV_KEYS.map((key) => [key, process.env[key]] as const);
  const next: Record<(typeof ENV_KEYS)[number], string | undefined> = {
    TENCENTCLOUD_SECRET_ID: pair?.secretId,
    TENCENTCLOUD_SECRET_KEY: pair?.secretKey,
    TENCENTCLOUD_SESSION_TOKEN: pair?.sessionToken,
  };
  for (const key of ENV_KEYS) assign(key, next[key]);
  return () => {
    for (const [key, value] of saved) assign(key, value);
  };
}

function assign(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}
