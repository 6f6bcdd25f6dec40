// Activation: lazy, cheap, and complete. index.ts runs this file first, because any other test
// that runs a command loads the engine bundle (dist/studio.js) that this file checks is NOT loaded
// by activation alone.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/extension';
import packageJson from '../../package.json';

const extensionId = `${packageJson.publisher}.${packageJson.name}`;

function loadedModules(): string[] {
  return Object.keys(require.cache);
}

describe('activation', () => {
  let extension: vscode.Extension<unknown>;

  before(() => {
    const found = vscode.extensions.getExtension(extensionId);
    assert.ok(found, `extension ${extensionId} is not installed in the extension host`);
    extension = found;
  });

  it('is lazy: no "*" or onStartupFinished activation event, and not active before first use', () => {
    const events: string[] = extension.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `activationEvents: ${events.join(', ')}`);
    assert.equal(extension.isActive, false, 'something activated the extension before any test used it');
  });

  it('activates and registers every contributed command and every internal one', async () => {
    await extension.activate();
    assert.equal(extension.isActive, true);
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed: string[] = (extension.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const missing = [...contributed, ...COMMANDS.map((name) => `imageStudio.${name}`)].filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `not registered after activation: ${missing.join(', ')}`);
    // A contributed command the activation code does not know would be a dead menu entry.
    const unknown = contributed.filter((id) => !COMMANDS.some((name) => id === `imageStudio.${name}`));
    assert.deepEqual(unknown, [], `contributed in package.json but not in src/extension.ts COMMANDS: ${unknown.join(', ')}`);
  });

  it('loads only dist/extension.js: the engine bundle dist/studio.js waits for the first command', () => {
    const dist = path.join(extension.extensionPath, 'dist');
    const modules = loadedModules();
    // Positive control: the check sees the extension's own modules in the shared module cache.
    assert.ok(modules.includes(path.join(dist, 'extension.js')), 'dist/extension.js is not in require.cache; the check would prove nothing');
    assert.ok(!modules.includes(path.join(dist, 'studio.js')), 'activation loaded dist/studio.js (undici, zod and the core): it must load on first use');
  });
});
