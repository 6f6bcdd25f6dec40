// The decisions `npm run demo` makes before it starts anything: its options, which VS Code it uses,
// whether it may open a browser, and the order it stops things in. The whole run (browser path) is
// test/e2e/demo.e2e.ts; the desktop path needs a desktop VS Code, which CI machines do not have, so
// its choice of the `code` command is checked here on real files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Cleanup } from '../demo/cleanup';
import { findCodeCommand } from '../demo/desktop-vscode';
import { browserCommand } from '../demo/open-browser';
import { parseDemoOptions } from '../demo/options';
import { createSandbox } from '../demo/sandbox';

describe('npm run demo: options', () => {
  it('defaults: free ports, 3-second jobs, the browser opened when possible, the workspace deleted', () => {
    assert.deepEqual(parseDemoOptions([]), { help: false, browser: false, port: 0, cloudPort: 0, jobSeconds: 3, open: true, keep: false });
  });

  it('reads every option', () => {
    const options = parseDemoOptions(['--browser', '--port', '8080', '--cloud-port', '8787', '--job-seconds', '0.5', '--no-open', '--keep', '-h']);
    assert.deepEqual(options, { help: true, browser: true, port: 8080, cloudPort: 8787, jobSeconds: 0.5, open: false, keep: true });
  });

  it('refuses a bad port, a bad job time and an unknown option, naming the option', () => {
    assert.throws(() => parseDemoOptions(['--port', '70000']), /--port must be a port number/);
    assert.throws(() => parseDemoOptions(['--cloud-port', '80.5']), /--cloud-port must be a port number/);
    assert.throws(() => parseDemoOptions(['--job-seconds', 'soon']), /--job-seconds must be a number of seconds/);
    assert.throws(() => parseDemoOptions(['--verbose']), /--verbose/);
  });
});

describe('npm run demo: which VS Code, which browser', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-demo-unit-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('finds an executable `code` on PATH, skipping a folder where `code` is not executable', () => {
    const first = path.join(folder, 'first');
    const second = path.join(folder, 'second');
    fs.mkdirSync(first);
    fs.mkdirSync(second);
    fs.writeFileSync(path.join(first, 'code'), '#!/bin/sh\n', { mode: 0o644 });
    fs.writeFileSync(path.join(second, 'code'), '#!/bin/sh\n', { mode: 0o755 });
    assert.equal(findCodeCommand({ PATH: [path.join(folder, 'missing'), first, second].join(path.delimiter) }), path.join(second, 'code'));
    assert.equal(findCodeCommand({ PATH: first }), undefined);
  });

  it('uses the browser in WSL, where `code` opens the Windows VS Code that cannot take this side\'s paths', () => {
    fs.writeFileSync(path.join(folder, 'code'), '#!/bin/sh\n', { mode: 0o755 });
    assert.equal(findCodeCommand({ PATH: folder, WSL_DISTRO_NAME: 'Debian' }), undefined);
  });

  it('opens a browser only where there is a screen, preferring $BROWSER', () => {
    assert.equal(browserCommand({}, 'linux'), undefined, 'no display: print the address only');
    assert.equal(browserCommand({ DISPLAY: ':0' }, 'linux'), 'xdg-open');
    assert.equal(browserCommand({ WAYLAND_DISPLAY: 'wayland-0', BROWSER: 'firefox:chromium' }, 'linux'), 'firefox');
    assert.equal(browserCommand({ BROWSER: 'firefox' }, 'linux'), undefined, '$BROWSER alone is no screen');
    assert.equal(browserCommand({}, 'darwin'), 'open');
    assert.equal(browserCommand({ SSH_CONNECTION: '10.0.0.2 52000 10.0.0.1 22' }, 'darwin'), undefined, 'over SSH the Mac\'s screen is not the user\'s');
  });
});

describe('npm run demo: sandbox and cleanup', () => {
  it('copies the sample workspace and writes settings that point the extension at the simulated cloud', () => {
    const sandbox = createSandbox('http://127.0.0.1:8787');
    try {
      assert.ok(sandbox.root.startsWith(os.tmpdir()), 'in the temporary folder, never in the repository');
      const prompts = fs.readFileSync(path.join(sandbox.workspace, 'prompts.md'), 'utf8');
      assert.match(prompts, /Generate Image from Selection/);
      assert.match(prompts, /^[\u4e00-\u9fff]/m, 'has a Chinese prompt line');
      const settings = JSON.parse(fs.readFileSync(path.join(sandbox.userData, 'User/settings.json'), 'utf8'));
      assert.equal(settings['imageStudio.endpoint'], 'http://127.0.0.1:8787');
      assert.equal(settings['security.workspace.trust.enabled'], false, 'a trusted workspace: the endpoint setting is honoured');
    } finally {
      sandbox.remove();
    }
    assert.equal(fs.existsSync(sandbox.root), false);
  });

  it('stops in reverse order of starting, goes on past a failing step, and undoes at once what starts while stopping', async () => {
    const cleanup = new Cleanup();
    const stopped: string[] = [];
    const quiet = console.error;
    cleanup.add('cloud', () => stopped.push('cloud'));
    cleanup.add('broken', () => {
      throw new Error('already gone');
    });
    const unregister = cleanup.add('finished step', () => stopped.push('finished step'));
    cleanup.add('editor', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      stopped.push('editor');
    });
    unregister();
    console.error = () => undefined;
    try {
      await cleanup.run();
    } finally {
      console.error = quiet;
    }
    assert.deepEqual(stopped, ['editor', 'cloud']);
    assert.equal(cleanup.closed, true);
    cleanup.add('late', () => stopped.push('late'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(stopped, ['editor', 'cloud', 'late']);
  });
});
