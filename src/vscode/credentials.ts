// Tencent Cloud credentials: stored only in VS Code's SecretStorage (the OS keychain on desktop),
// with the SDK's environment variables as the fallback. Keys never reach settings, the log, a
// webview, a file or a message; at most a hint such as "AKID…0001" (the SecretId is an identifier,
// its last four characters help tell two keys apart).
import * as vscode from 'vscode';
import type { Credentials } from '../core/tencent/signer';

export const SECRET_KEYS = {
  secretId: 'imageStudio.secretId',
  secretKey: 'imageStudio.secretKey',
  sessionToken: 'imageStudio.sessionToken',
} as const satisfies Record<keyof Credentials, string>;

/** The Tencent Cloud SDKs' convention, so keys already set up for the CLI or SDK just work. */
export const ENVIRONMENT_VARIABLES = {
  secretId: 'TENCENTCLOUD_SECRET_ID',
  secretKey: 'TENCENTCLOUD_SECRET_KEY',
  sessionToken: 'TENCENTCLOUD_SESSION_TOKEN',
} as const satisfies Record<keyof Credentials, string>;

export type CredentialSource = 'secretStorage' | 'environment';

/** "AKID…0001": enough to recognise a key, useless to anyone else. */
export function secretIdHint(secretId: string): string {
  const prefix = secretId.startsWith('AKID') ? 'AKID' : '';
  return secretId.length >= 12 ? `${prefix}…${secretId.slice(-4)}` : `${prefix}…`;
}

/** What `setCredentials` accepts as an argument instead of asking (automation, tests). */
function credentialsArgument(value: unknown): Credentials | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { secretId, secretKey, sessionToken } = value as Record<string, unknown>;
  if (typeof secretId !== 'string' || typeof secretKey !== 'string') return undefined;
  if (sessionToken !== undefined && typeof sessionToken !== 'string') return undefined;
  return { secretId, secretKey, sessionToken };
}

export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange: vscode.Event<void> = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The last write or delete: a read waits for it, so it never sees half of a new key pair. */
  private writing: Promise<void> = Promise.resolve();

  /** `environment` is read on every `get()` (not copied), so a changed variable takes effect at once. */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly environment: NodeJS.ProcessEnv = process.env,
  ) {
    const ours = new Set<string>(Object.values(SECRET_KEYS));
    this.subscription = secrets.onDidChange((event) => {
      if (ours.has(event.key)) this.changed.fire();
    });
  }

  /** SecretStorage first (both halves of the pair), then the TENCENTCLOUD_* environment variables. */
  async get(): Promise<Credentials | undefined> {
    return (await this.resolve())?.credentials;
  }

  async source(): Promise<CredentialSource | undefined> {
    return (await this.resolve())?.source;
  }

  /**
   * Stores a key pair (trimmed: a key pasted with a stray space gives `SecretIdNotFound`), and the
   * session token, or removes an old token when there is none. No UI.
   */
  async store(credentials: Credentials): Promise<void> {
    const secretId = credentials.secretId.trim();
    const secretKey = credentials.secretKey.trim();
    const sessionToken = credentials.sessionToken?.trim() ?? '';
    if (!secretId || !secretKey) throw new Error('A SecretId and a SecretKey are both required.');
    await this.write(async () => {
      await this.secrets.store(SECRET_KEYS.secretId, secretId);
      await this.secrets.store(SECRET_KEYS.secretKey, secretKey);
      if (sessionToken) await this.secrets.store(SECRET_KEYS.sessionToken, sessionToken);
      else await this.secrets.delete(SECRET_KEYS.sessionToken);
    });
  }

  /** Removes all three stored values. No UI. */
  async remove(): Promise<void> {
    await this.write(async () => {
      for (const key of Object.values(SECRET_KEYS)) await this.secrets.delete(key);
    });
  }

  /**
   * The setCredentials flow: SecretId, SecretKey (hidden), optional session token (hidden; empty =
   * none). Format doubts are warnings, never refusals: Tencent's formats have changed before.
   * Resolves true when a pair was stored, false when the user backed out (nothing changes then).
   */
  async promptAndStore(): Promise<boolean> {
    const title = vscode.l10n.t('AIGC Image Studio: Set Credentials');
    const secretId = await vscode.window.showInputBox({
      title: `${title} (1/3)`,
      prompt: vscode.l10n.t('Tencent Cloud SecretId (Tencent Cloud console > Access Management > API Keys)'),
      placeHolder: 'AKID…',
      ignoreFocusOut: true,
      validateInput: (value) => validateSecretId(value),
    });
    if (secretId === undefined) return false;
    const secretKey = await vscode.window.showInputBox({
      title: `${title} (2/3)`,
      prompt: vscode.l10n.t('Tencent Cloud SecretKey (shown only once, when the key is created)'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => validateSecretKey(value),
    });
    if (secretKey === undefined) return false;
    const sessionToken = await vscode.window.showInputBox({
      title: `${title} (3/3)`,
      prompt: vscode.l10n.t('Session token, only for temporary (STS) credentials. Leave empty for a permanent API key.'),
      password: true,
      ignoreFocusOut: true,
    });
    if (sessionToken === undefined) return false;
    await this.store({ secretId, secretKey, sessionToken });
    announceStored(secretId);
    return true;
  }

  /**
   * The clearCredentials flow: asks first (modal) unless `confirmed`, removes all three, says so.
   * Resolves true when they were removed.
   */
  async clear(confirmed = false): Promise<boolean> {
    if (!confirmed) {
      const clearButton = vscode.l10n.t('Clear');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Remove the Tencent Cloud credentials stored by AIGC Image Studio?'),
        { modal: true, detail: vscode.l10n.t('The SecretId, SecretKey and session token are deleted from the secret storage.') },
        clearButton,
      );
      if (choice !== clearButton) return false;
    }
    await this.remove();
    void vscode.window.showInformationMessage(await this.clearedMessage());
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** After clearing, the environment may still provide keys: say so, or the user wonders why generation still works. */
  private async clearedMessage(): Promise<string> {
    return (await this.source()) === 'environment'
      ? vscode.l10n.t(
          'Stored credentials removed. The environment variables {0} and {1} are still set and will be used.',
          ENVIRONMENT_VARIABLES.secretId,
          ENVIRONMENT_VARIABLES.secretKey,
        )
      : vscode.l10n.t('Stored credentials removed.');
  }

  private write(operation: () => Promise<void>): Promise<void> {
    const next = this.writing.then(operation);
    // A failed write must not block the ones after it; the caller still sees its own failure.
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async resolve(): Promise<{ credentials: Credentials; source: CredentialSource } | undefined> {
    await this.writing;
    const [secretId, secretKey, sessionToken] = await Promise.all([
      this.secrets.get(SECRET_KEYS.secretId),
      this.secrets.get(SECRET_KEYS.secretKey),
      this.secrets.get(SECRET_KEYS.sessionToken),
    ]);
    if (secretId && secretKey) return { credentials: { secretId, secretKey, sessionToken: sessionToken || undefined }, source: 'secretStorage' };
    const env = this.environment;
    const envId = env[ENVIRONMENT_VARIABLES.secretId]?.trim();
    const envKey = env[ENVIRONMENT_VARIABLES.secretKey]?.trim();
    if (envId && envKey) {
      const envToken = env[ENVIRONMENT_VARIABLES.sessionToken]?.trim();
      return { credentials: { secretId: envId, secretKey: envKey, sessionToken: envToken || undefined }, source: 'environment' };
    }
    return undefined;
  }
}

function announceStored(secretId: string): void {
  void vscode.window.showInformationMessage(
    vscode.l10n.t("Tencent Cloud credentials saved in VS Code's secret storage (SecretId {0}).", secretIdHint(secretId.trim())),
  );
}

function validateSecretId(value: string): string | vscode.InputBoxValidationMessage | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return vscode.l10n.t('Enter the SecretId.');
  if (/\s/.test(trimmed)) return vscode.l10n.t('A SecretId contains no spaces.');
  if (!trimmed.startsWith('AKID')) {
    return {
      message: vscode.l10n.t('A Tencent Cloud SecretId usually starts with "AKID". Check that this is the SecretId, not the SecretKey or an APPID.'),
      severity: vscode.InputBoxValidationSeverity.Warning,
    };
  }
  return undefined;
}

function validateSecretKey(value: string): string | vscode.InputBoxValidationMessage | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return vscode.l10n.t('Enter the SecretKey.');
  if (/\s/.test(trimmed)) return vscode.l10n.t('A SecretKey contains no spaces.');
  if (trimmed.startsWith('AKID')) {
    return {
      message: vscode.l10n.t('This looks like a SecretId (it starts with "AKID"). Enter the SecretKey that belongs to it.'),
      severity: vscode.InputBoxValidationSeverity.Warning,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The two commands, as studio.ts dispatches them.

/**
 * `imageStudio.setCredentials`. Interactive by default; `{ secretId, secretKey, sessionToken? }` as
 * the first argument stores that pair without asking (the integration tests, which cannot type into
 * input boxes; studio.ts passes arguments on only in ExtensionMode.Test). Resolves true when stored.
 */
export async function setCredentialsCommand(store: CredentialStore, args: readonly unknown[]): Promise<boolean> {
  const given = credentialsArgument(args[0]);
  if (!given) return store.promptAndStore();
  await store.store(given);
  announceStored(given.secretId);
  return true;
}

/**
 * `imageStudio.clearCredentials`. Asks first; `{ confirmed: true }` as the first argument skips the
 * question (automation, tests). Resolves to where credentials now come from: 'environment' when
 * the environment variables still provide some, undefined when none are left.
 */
export async function clearCredentialsCommand(store: CredentialStore, args: readonly unknown[]): Promise<CredentialSource | undefined> {
  const confirmed = typeof args[0] === 'object' && args[0] !== null && (args[0] as { confirmed?: unknown }).confirmed === true;
  await store.clear(confirmed);
  return store.source();
}
