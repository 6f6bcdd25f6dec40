// The `imageStudio.*` settings as the extension reads them (src/vscode/settings.ts), through the
// real configuration service of the extension host: values are written to the test workspace's
// .vscode/settings.json the way a user's edit lands there.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, onDidChangeSettings, readSettings, RESOURCE_SCOPED_SETTINGS, type SettingWarning, type StudioSettings } from '../../src/vscode/settings';
import { EXTENSION_ID } from './support/logs';
import { updateWorkspaceSettings } from './support/settings';
import { waitFor } from './support/wait';

interface Contributed {
  type: string;
  default: unknown;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  scope?: string;
}

function contributedSettings(): Record<string, Contributed> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.packageJSON.contributes.configuration.properties;
}

/** readSettings with the warnings collected instead of shown. */
function read(): { settings: StudioSettings; warnings: SettingWarning[] } {
  const warnings: SettingWarning[] = [];
  const settings = readSettings(undefined, (warning) => warnings.push(warning));
  return { settings, warnings };
}

/** Sets workspace values for the duration of `body`, then restores the earlier ones. */
async function withSettings<T>(values: Record<string, unknown>, body: () => T | Promise<T>): Promise<T> {
  const restore = await updateWorkspaceSettings(values);
  try {
    return await body();
  } finally {
    await restore();
  }
}

/**
 * For loops over many values: `set` writes without restoring, and only each setting's first
 * write keeps its restore, so the settings file is put back once at the end (each write costs a
 * file write and a configuration reload).
 */
async function trying(body: (set: (values: Record<string, unknown>) => Promise<void>) => Promise<void>): Promise<void> {
  const seen = new Set<string>();
  const restores: (() => Promise<void>)[] = [];
  try {
    await body(async (values) => {
      const restore = await updateWorkspaceSettings(values);
      const fresh = Object.keys(values).filter((key) => !seen.has(key));
      fresh.forEach((key) => seen.add(key));
      // Keys written before keep their first restore (the value before the test).
      if (fresh.length === Object.keys(values).length) restores.push(restore);
      else if (fresh.length > 0) throw new Error('trying(): write new and already-written settings in separate calls');
    });
  } finally {
    for (const restore of restores.reverse()) await restore();
  }
}

const EXPECTED_DEFAULTS: StudioSettings = {
  model: 'hunyuan-image-job',
  resolution: undefined,
  style: undefined,
  count: 1,
  negativePrompt: undefined,
  seed: undefined,
  watermark: true,
  outputFolder: 'assets/generated',
  insertMarkdownLink: 'auto',
  region: 'ap-guangzhou',
  endpoint: undefined,
  mpsModelName: 'Hunyuan',
  mpsModelVersion: '3.0',
  concurrency: {},
  requestTimeoutSeconds: 30,
};

describe('settings', () => {
  it('defaults: every setting unset reads as design.md says, without a warning', () => {
    const { settings, warnings } = read();
    assert.deepEqual(warnings, []);
    assert.deepEqual(settings, EXPECTED_DEFAULTS);
  });

  it('the schema matches package.json: same settings, defaults, model list and numeric bounds', async () => {
    const contributed = contributedSettings();
    assert.deepEqual(Object.keys(contributed).sort(), Object.keys(DEFAULT_SETTINGS).map((name) => `imageStudio.${name}`).sort());
    for (const [name, value] of Object.entries(DEFAULT_SETTINGS)) {
      assert.deepEqual(value, contributed[`imageStudio.${name}`]!.default, `default of imageStudio.${name}`);
    }
    // Read in their own scope (a resource for these, the window for the rest), as declared.
    const resourceScoped = Object.entries(contributed).filter(([, setting]) => setting.scope === 'resource').map(([name]) => name);
    assert.deepEqual(resourceScoped.sort(), RESOURCE_SCOPED_SETTINGS.map((name) => `imageStudio.${name}`).sort());
    await trying(async (set) => {
      // Every model offered in the settings UI is accepted, and nothing else.
      for (const model of contributed['imageStudio.model']!.enum!) {
        await set({ model });
        const { settings, warnings } = read();
        assert.deepEqual([settings.model, warnings.length], [model, 0], model);
      }
      await set({ model: 'aiart-image-to-image' });
      assert.equal(read().warnings.length, 1, 'style transfer needs an image: not a default model');
    });
    // The bounds: the extremes are accepted, one step beyond is refused (all three numbers at once).
    const bounded = ['count', 'seed', 'requestTimeoutSeconds'];
    const bounds = bounded.map((name) => contributed[`imageStudio.${name}`]!);
    assert.ok(bounds.every((bound) => bound.minimum !== undefined && bound.maximum !== undefined));
    await trying(async (set) => {
      const cases: [string, (bound: Contributed) => number, boolean][] = [
        ['minimum', (bound) => bound.minimum!, true],
        ['maximum', (bound) => bound.maximum!, true],
        ['minimum - 1', (bound) => bound.minimum! - 1, false],
        ['maximum + 1', (bound) => bound.maximum! + 1, false],
      ];
      for (const [label, value, valid] of cases) {
        await set(Object.fromEntries(bounded.map((name, index) => [name, value(bounds[index]!)])));
        const warned = read().warnings.map((warning) => warning.setting);
        assert.deepEqual(warned, valid ? [] : bounded.map((name) => `imageStudio.${name}`), label);
      }
    });
  });

  it('valid values are read and normalised', async () => {
    const { settings, warnings } = await withSettings(
      {
        model: 'mps-aigc-image',
        resolution: '1280:720',
        style: ' riman ',
        count: 3,
        negativePrompt: '  blurry ',
        seed: 42,
        watermark: false,
        outputFolder: './images\\ai/',
        insertMarkdownLink: 'never',
        region: 'ap-shanghai',
        endpoint: 'https://gateway.example.com/',
        mpsModelName: 'Qwen',
        mpsModelVersion: 'q2',
        concurrency: { 'hunyuan-image-job': 2 },
        requestTimeoutSeconds: 90,
      },
      read,
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(settings, {
      model: 'mps-aigc-image',
      resolution: '1280:720',
      style: 'riman',
      count: 3,
      negativePrompt: 'blurry',
      seed: 42,
      watermark: false,
      outputFolder: 'images/ai',
      insertMarkdownLink: 'never',
      region: 'ap-shanghai',
      endpoint: 'https://gateway.example.com',
      mpsModelName: 'Qwen',
      mpsModelVersion: 'q2',
      concurrency: { 'hunyuan-image-job': 2 },
      requestTimeoutSeconds: 90,
    });
  });

  it('each invalid value gives one warning naming the setting and falls back to its default; the others keep theirs', async () => {
    const invalid: Record<string, unknown> = {
      model: 'dall-e-3',
      resolution: '1024x1024',
      count: 7,
      seed: -1,
      watermark: 'yes',
      insertMarkdownLink: 'always',
      region: 'Guangzhou',
      mpsModelName: '  ',
      concurrency: { 'hunyuan-image-job': 0, 'no-such-pool': 2 },
      requestTimeoutSeconds: 2.5,
    };
    const { settings, warnings } = await withSettings({ ...invalid, style: 'riman', negativePrompt: 'text' }, read);
    assert.deepEqual(warnings.map((warning) => warning.setting).sort(), Object.keys(invalid).map((name) => `imageStudio.${name}`).sort());
    for (const warning of warnings) {
      assert.ok(warning.message.includes(`"${warning.setting}"`), `the message names the setting: ${warning.message}`);
    }
    const count = warnings.find((warning) => warning.setting === 'imageStudio.count')!;
    assert.match(count.message, /7/, 'says which value is wrong');
    assert.match(count.message, /\b1\b.*\b4\b/, 'says what is allowed');
    assert.deepEqual(settings, { ...EXPECTED_DEFAULTS, style: 'riman', negativePrompt: 'text' });
  });

  it('endpoint: https anywhere, http only on loopback, no path, never echoing a password', async () => {
    const accepted: Record<string, string> = {
      'https://hunyuan.tencentcloudapi.com': 'https://hunyuan.tencentcloudapi.com',
      'http://127.0.0.1:8787': 'http://127.0.0.1:8787',
      'http://localhost:9000/': 'http://localhost:9000',
      'http://[::1]:9000': 'http://[::1]:9000',
      '': '',
    };
    await trying(async (set) => {
      for (const [endpoint, origin] of Object.entries(accepted)) {
        await set({ endpoint });
        const { settings, warnings } = read();
        assert.deepEqual([settings.endpoint ?? '', warnings], [origin, []], `accepts "${endpoint}"`);
      }
      for (const endpoint of ['http://hunyuan.tencentcloudapi.com', 'http://10.0.0.8:8080', 'ftp://127.0.0.1', 'https://gw.example.com/api', 'not a url', 'https://me:hunter2@gw.example.com']) {
        await set({ endpoint });
        const { settings, warnings } = read();
        assert.equal(settings.endpoint, undefined, `refuses "${endpoint}"`);
        assert.deepEqual(warnings.map((warning) => warning.setting), ['imageStudio.endpoint'], `one warning for "${endpoint}"`);
        assert.ok(!warnings[0]!.message.includes('hunter2'), 'the password is never shown');
      }
    });
  });

  it('outputFolder: relative folders inside the workspace folder only', async () => {
    const accepted: Record<string, string> = {
      'assets/generated': 'assets/generated',
      'docs/图片': 'docs/图片',
      './img/': 'img',
      'a\\b': 'a/b',
      'a/../b': 'b',
      '.': '.',
    };
    await trying(async (set) => {
      for (const [outputFolder, normalised] of Object.entries(accepted)) {
        await set({ outputFolder });
        const { settings, warnings } = read();
        assert.deepEqual([settings.outputFolder, warnings], [normalised, []], `accepts "${outputFolder}"`);
      }
      for (const outputFolder of ['../outside', 'a/../../b', '..', '/tmp/images', 'C:\\images', '\\\\server\\share', '~/images', 'file:///tmp', '']) {
        await set({ outputFolder });
        const { settings, warnings } = read();
        assert.equal(settings.outputFolder, 'assets/generated', `refuses "${outputFolder}"`);
        assert.deepEqual(warnings.map((warning) => warning.setting), ['imageStudio.outputFolder'], `one warning for "${outputFolder}"`);
      }
    });
  });

  it('onDidChangeSettings fires for imageStudio.* changes only', async () => {
    let fired = 0;
    const subscription = onDidChangeSettings(() => fired++);
    try {
      await withSettings({ 'editor.tabSize': 3 }, () => undefined);
      await withSettings({ count: 2 }, () => undefined);
      // Events arrive in order: once both count changes (set, restore) are in, so are the tabSize ones.
      await waitFor('the two imageStudio.count changes', () => fired >= 2);
      assert.equal(fired, 2, 'editor.tabSize changes must not fire it');
    } finally {
      subscription.dispose();
    }
  });
});
