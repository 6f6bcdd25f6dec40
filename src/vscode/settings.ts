// The `imageStudio.*` settings, read through one zod schema. VS Code's settings editor validates
// against package.json, but settings.json accepts anything; so each value is checked here, and an
// invalid one is reported once (naming the setting and what is wrong) and replaced by its default,
// while the other settings keep their values. Nothing else in the extension reads `imageStudio.*`.
import { posix } from 'node:path';
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { DEFAULT_MODEL_ID, listModels } from '../core/providers/catalog';
import type { ModelId } from '../core/providers/types';
import { parseEndpointOverride } from '../core/tencent/endpoint';
import { redactSecrets } from '../core/tencent/error-catalog';
import { StudioError } from '../core/tencent/errors';
import { DEFAULT_REGION } from '../core/tencent/services';

export const SETTINGS_SECTION = 'imageStudio';

export interface StudioSettings {
  model: ModelId;
  resolution?: string;
  style?: string;
  count: number;
  negativePrompt?: string;
  /** undefined when the setting is 0 (random). */
  seed?: number;
  watermark: boolean;
  /** Relative to the workspace folder, `/`-separated, normalised (`assets/generated`, `.` for the folder itself). */
  outputFolder: string;
  insertMarkdownLink: 'auto' | 'never';
  region: string;
  /** The endpoint's origin (`https://host[:port]`); undefined when empty (Tencent Cloud's own domains). */
  endpoint?: string;
  mpsModelName: string;
  mpsModelVersion: string;
  /** Pool id (the catalog's model ids) -> tasks at once, only for the pools the user raised. */
  concurrency: Record<string, number>;
  requestTimeoutSeconds: number;
}

/** One invalid setting, as shown to the user. */
export interface SettingWarning {
  /** The full setting name, e.g. `imageStudio.count`. */
  readonly setting: string;
  /** The localised sentence: the setting, what is wrong, and the default used instead. */
  readonly message: string;
}

// ---------------------------------------------------------------------------------------------
// The schema: raw values as settings.json holds them. Bounds and defaults match package.json's
// contributes.configuration (the integration tests compare them).

/** Text-to-image models: the ones that can start from a prompt alone (style transfer needs an image). */
const PROMPT_MODELS = listModels()
  .filter((model) => !model.referenceImages.required)
  .map((model) => model.id) as [ModelId, ...ModelId[]];
const POOL_IDS = [...new Set(listModels().map((model) => model.pool.id))] as [string, ...string[]];

const RESOLUTION = /^(|origin|\d{2,4}:\d{2,4})$/;
/** Tencent Cloud region names: `ap-guangzhou`, `na-siliconvalley`, `ap-shanghai-fsi`... */
const REGION = /^[a-z]{2}-[a-z]+(?:-[a-z0-9]+)*$/;
const COUNT = { min: 1, max: 4 };
const SEED = { min: 0, max: 4294967295 };
const POOL_SIZE = { min: 1, max: 100 };
const TIMEOUT_SECONDS = { min: 5, max: 600 };

const intIn = (range: { min: number; max: number }) => z.int().check(z.minimum(range.min), z.maximum(range.max));

const SCHEMA = z.object({
  model: z.enum(PROMPT_MODELS),
  resolution: z.string().check(z.regex(RESOLUTION)),
  style: z.string(),
  count: intIn(COUNT),
  negativePrompt: z.string(),
  seed: intIn(SEED),
  watermark: z.boolean(),
  outputFolder: z.string().check(z.refine((value) => normalizeOutputFolder(value) !== undefined)),
  insertMarkdownLink: z.enum(['auto', 'never']),
  region: z.string().check(z.refine((value) => REGION.test(value.trim()))),
  endpoint: z.string().check(z.refine((value) => value.trim() === '' || endpointProblem(value) === undefined)),
  mpsModelName: z.string().check(z.refine((value) => value.trim() !== '')),
  mpsModelVersion: z.string().check(z.refine((value) => value.trim() !== '')),
  concurrency: z.partialRecord(z.enum(POOL_IDS), intIn(POOL_SIZE)),
  requestTimeoutSeconds: intIn(TIMEOUT_SECONDS),
});

type RawSettings = z.infer<typeof SCHEMA>;
type SettingName = keyof RawSettings;

export const DEFAULT_SETTINGS: Readonly<RawSettings> = Object.freeze({
  model: DEFAULT_MODEL_ID,
  resolution: '',
  style: '',
  count: 1,
  negativePrompt: '',
  seed: 0,
  watermark: true,
  outputFolder: 'assets/generated',
  insertMarkdownLink: 'auto',
  region: DEFAULT_REGION,
  endpoint: '',
  mpsModelName: 'Hunyuan',
  mpsModelVersion: '3.0',
  concurrency: {},
  requestTimeoutSeconds: 30,
});

/** What a valid value looks like, for the warning; `shown` is the offending value, already made safe to print. */
const RULES: { readonly [K in SettingName]: (shown: string, value: unknown) => string } = {
  model: (shown) => vscode.l10n.t('{0} is not a model this extension knows; use one of {1}.', shown, PROMPT_MODELS.join(', ')),
  resolution: (shown) => vscode.l10n.t('{0} is not a size: use W:H (for example 1024:1024), origin, or leave it empty.', shown),
  style: (shown) => vscode.l10n.t('{0} is not text.', shown),
  count: (shown) => vscode.l10n.t('{0} is not a whole number from {1} to {2}.', shown, COUNT.min, COUNT.max),
  negativePrompt: (shown) => vscode.l10n.t('{0} is not text.', shown),
  seed: (shown) => vscode.l10n.t('{0} is not a whole number from {1} to {2}.', shown, SEED.min, SEED.max),
  watermark: (shown) => vscode.l10n.t('{0} is not true or false.', shown),
  outputFolder: (shown) =>
    vscode.l10n.t(
      '{0} is not a folder inside the workspace folder: use a relative path such as assets/generated (no absolute path, drive letter, ~ or .. leading outside).',
      shown,
    ),
  insertMarkdownLink: (shown) => vscode.l10n.t('{0} is neither "auto" nor "never".', shown),
  region: (shown) => vscode.l10n.t('{0} is not a Tencent Cloud region such as ap-guangzhou.', shown),
  // The endpoint is never echoed whole: a mistyped URL can carry a user name and password.
  endpoint: (_shown, value) => (typeof value === 'string' ? endpointProblem(value) : undefined) ?? vscode.l10n.t('The endpoint must be a URL.'),
  mpsModelName: (shown) => vscode.l10n.t('{0} is empty; enter a model name such as Hunyuan.', shown),
  mpsModelVersion: (shown) => vscode.l10n.t('{0} is empty; enter a model version such as 3.0.', shown),
  concurrency: (shown) =>
    vscode.l10n.t('{0} must map pool names ({1}) to whole numbers from {2} to {3}.', shown, POOL_IDS.join(', '), POOL_SIZE.min, POOL_SIZE.max),
  requestTimeoutSeconds: (shown) => vscode.l10n.t('{0} is not a whole number of seconds from {1} to {2}.', shown, TIMEOUT_SECONDS.min, TIMEOUT_SECONDS.max),
};

// ---------------------------------------------------------------------------------------------
// Reading.

/** The settings package.json declares with `"scope": "resource"` (one value per workspace folder). */
export const RESOURCE_SCOPED_SETTINGS: readonly SettingName[] = ['outputFolder'];

/**
 * Reads `imageStudio.*` for a resource (the output folder is per workspace folder) through one zod
 * schema; each invalid value is passed to `warn` and replaced by its default. The default `warn`
 * shows one warning per setting and value per session, with a button to the setting.
 */
export function readSettings(
  scope?: vscode.ConfigurationScope,
  warn: (warning: SettingWarning) => void = warnOncePerValue,
  trust: WorkspaceTrust = { trusted: vscode.workspace.isTrusted },
): StudioSettings {
  // Each setting is read in its own scope, as VS Code expects (it logs a warning for every window
  // setting read for a resource, and every resource setting read without one): the output folder per
  // workspace folder (the first one when none is named), everything else for the window.
  const windowConfiguration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const resourceConfiguration = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope ?? vscode.workspace.workspaceFolders?.[0]);
  const configurationOf = (name: SettingName) => (RESOURCE_SCOPED_SETTINGS.includes(name) ? resourceConfiguration : windowConfiguration);
  if (!trust.trusted) {
    const warning = untrustedWorkspaceWarning(scope);
    if (warning) warn(warning);
  }
  const raw = {} as Record<SettingName, unknown>;
  for (const name of Object.keys(SCHEMA.shape) as SettingName[]) {
    const configuration = configurationOf(name);
    const value =
      !trust.trusted && RESTRICTED_STUDIO_SETTINGS.includes(name) ? userLevelValue(configuration, name, DEFAULT_SETTINGS[name]) : configuration.get<unknown>(name, DEFAULT_SETTINGS[name]);
    if (SCHEMA.shape[name].safeParse(value).success) {
      raw[name] = value;
      continue;
    }
    raw[name] = DEFAULT_SETTINGS[name];
    const setting = `${SETTINGS_SECTION}.${name}`;
    warn({
      setting,
      message: vscode.l10n.t(
        'AIGC Image Studio: the setting "{0}" is invalid: {1} Using the default ({2}) instead.',
        setting,
        RULES[name](showValue(value), value),
        JSON.stringify(DEFAULT_SETTINGS[name]),
      ),
    });
  }
  // Every value now passed its schema (or is a default, which does).
  return toStudioSettings(SCHEMA.parse(raw));
}

// ---------------------------------------------------------------------------------------------
// Workspace trust. A repository's .vscode/settings.json is written by whoever made the repository:
// in an untrusted workspace it must not choose where signed requests go (endpoint, proxy) or where
// files are written (output folder). package.json declares these as restrictedConfigurations, and
// VS Code already hides the workspace values of restricted settings from get() when the workspace
// is untrusted; reading the user's own values explicitly keeps that true whatever the VS Code
// version does, and lets us say why the workspace values are not used.

export interface WorkspaceTrust {
  /** vscode.workspace.isTrusted, passed in so tests (whose runner disables trust) can read as untrusted. */
  readonly trusted: boolean;
}

const RESTRICTED_STUDIO_SETTINGS: readonly SettingName[] = ['endpoint', 'outputFolder'];
/** Every setting a workspace cannot set while it is untrusted (the proxy ones are VS Code's own). */
export const TRUST_RESTRICTED_SETTINGS = [...RESTRICTED_STUDIO_SETTINGS.map((name) => `${SETTINGS_SECTION}.${name}`), 'http.proxy', 'http.noProxy'];

/**
 * The value of a restricted setting in an untrusted workspace: a value the workspace or one of its
 * folders sets is ignored, in favour of the user's (or the default). When the workspace sets none,
 * the ordinary value is read, so the user's settings count wherever VS Code keeps them (a remote
 * window's user settings are not all reported as `globalValue`), and so does an early start before
 * the window knows it is trusted.
 */
export function userLevelValue<T>(configuration: vscode.WorkspaceConfiguration, name: string, fallback: T): T {
  const values = configuration.inspect<T>(name);
  if (values?.workspaceValue === undefined && values?.workspaceFolderValue === undefined) return configuration.get<T>(name, fallback);
  return values.globalValue ?? values.defaultValue ?? fallback;
}

/** The restricted settings this workspace sets (in its settings or a folder's), ignored while it is untrusted. */
export function workspaceSetRestrictedSettings(scope?: vscode.ConfigurationScope): string[] {
  return TRUST_RESTRICTED_SETTINGS.filter((setting) => {
    const values = vscode.workspace.getConfiguration(undefined, scope).inspect(setting);
    return values?.workspaceValue !== undefined || values?.workspaceFolderValue !== undefined;
  });
}

function untrustedWorkspaceWarning(scope?: vscode.ConfigurationScope): SettingWarning | undefined {
  const ignored = workspaceSetRestrictedSettings(scope);
  if (ignored.length === 0) return undefined;
  return {
    setting: ignored[0]!,
    message: vscode.l10n.t(
      'AIGC Image Studio: this workspace is not trusted, so its settings {0} are ignored and your user settings are used instead. Trust the workspace to use them.',
      ignored.join(', '),
    ),
  };
}

/** Fires when any `imageStudio.*` setting changes (in any scope). */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SETTINGS_SECTION)) listener();
  });
}

function toStudioSettings(raw: RawSettings): StudioSettings {
  const endpoint = raw.endpoint.trim();
  return {
    model: raw.model,
    resolution: raw.resolution || undefined,
    style: raw.style.trim() || undefined,
    count: raw.count,
    negativePrompt: raw.negativePrompt.trim() || undefined,
    seed: raw.seed === 0 ? undefined : raw.seed,
    watermark: raw.watermark,
    outputFolder: normalizeOutputFolder(raw.outputFolder) ?? DEFAULT_SETTINGS.outputFolder,
    insertMarkdownLink: raw.insertMarkdownLink,
    region: raw.region.trim(),
    endpoint: endpoint === '' ? undefined : parseEndpointOverride(endpoint).origin,
    mpsModelName: raw.mpsModelName.trim(),
    mpsModelVersion: raw.mpsModelVersion.trim(),
    concurrency: { ...(raw.concurrency as Record<string, number>) },
    requestTimeoutSeconds: raw.requestTimeoutSeconds,
  };
}

// ---------------------------------------------------------------------------------------------
// Value rules that need more than a type.

/**
 * `assets/generated`, `./images\\ai` -> `images/ai`; undefined when the value is empty or could
 * leave the workspace folder (absolute, drive letter, UNC, a URI, `~`, or `..` climbing out).
 * Engineer D's output-folder.ts joins the result to the real folder.
 */
export function normalizeOutputFolder(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '' || /[\u0000-\u001f]/.test(trimmed)) return undefined;
  // `~` is not expanded by anyone; a user writing it means their home folder, which is outside.
  if (/^[\\/~]/.test(trimmed) || /^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return undefined;
  const normal = posix.normalize(trimmed.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return undefined;
  return normal === '' ? '.' : normal;
}

/** The localised reason an endpoint is refused (core's rule: https, or http on loopback only). */
function endpointProblem(value: string): string | undefined {
  try {
    parseEndpointOverride(value);
    return undefined;
  } catch (error) {
    if (!(error instanceof StudioError)) throw error;
    return localized(error.explanation);
  }
}

function localized(text: { en: string; zh: string }): string {
  return vscode.env.language.toLowerCase().startsWith('zh') ? text.zh : text.en;
}

/** A value as it can appear in a warning: JSON, short, never a credential. */
function showValue(value: unknown): string {
  const json = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  const safe = redactSecrets(json);
  return safe.length > 80 ? `${safe.slice(0, 80)}…` : safe;
}

// ---------------------------------------------------------------------------------------------
// The default warning sink.

const warned = new Set<string>();

/** Each setting-and-message once per session: readSettings runs on every command and every change. */
function warnOncePerValue(warning: SettingWarning): void {
  const key = `${warning.setting}\u0000${warning.message}`;
  if (warned.has(key)) return;
  warned.add(key);
  const openSettings = vscode.l10n.t('Open Settings');
  void vscode.window.showWarningMessage(warning.message, openSettings).then((choice) => {
    if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', warning.setting);
  });
}
