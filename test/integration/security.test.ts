// Issue 5's security probes, in the real extension host against the simulated cloud: hostile text
// in prompts and in metadata someone else committed renders as inert text; the output folder
// cannot leave the workspace folder (not even through a symbolic link); an untrusted workspace
// cannot choose the endpoint, the output folder or the proxy; plain http only for loopback
// endpoints; result downloads follow no redirect to another scheme and only a few; and a marker
// secret used for a real generation is found nowhere on disk afterwards.
// (Webview messages that fail validation: panel.test.ts and gallery.test.ts drop-and-log probes.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { buildAigcLabel } from '../../src/core/images/aigc-label';
import { addImageMetadata } from '../../src/core/images/metadata';
import type { GenerationRecord } from '../../src/core/images/record';
import { MemoryJournal } from '../../src/core/jobs/journal';
import type { GenerateOutcome } from '../../src/vscode/commands/generation';
import { proxyFromEnvironment } from '../../src/vscode/engine-host';
import type { GalleryTestHandle } from '../../src/vscode/gallery/gallery';
import { readSettings, type SettingWarning } from '../../src/vscode/settings';
import { type PanelLog, type TaskActions, TaskPanel } from '../../src/vscode/task-panel';
import { WorkspaceImageSaver } from '../../src/vscode/workspace-saver';
import { FileImageSaver } from '../../src/core/images/saver';
import packageJson from '../../package.json';
import { drawImage } from '../fake-cloud/draw';
import { TEST_CREDENTIALS, useFakeCloud } from './support/cloud';
import { createStudioEngine } from './support/engine';
import { extensionLogText } from './support/logs';
import { scratchLeftovers } from './support/leftovers';
import { updateWorkspaceSettings } from './support/settings';
import { toldUser } from './support/told-user';
import { waitFor } from './support/wait';
import { listFiles, removeAll, workspaceRoot, workspaceUri, writeFile } from './support/workspace';

const OUTPUT = 'assets/generated';
/** Markup, a script end tag, and bidi controls: RLO, LRI, RLI without their closers, a stray PDF and PDI. */
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'"></script><script>parent.postMessage("pwned","*")</script> \u202Egnp.exe\u2066 \u2067a\u202C\u2069 & "猫"';

function generate(prompt: string): Thenable<GenerateOutcome> {
  return vscode.commands.executeCommand<GenerateOutcome>('imageStudio.generate', prompt);
}

function extensionUri(): vscode.Uri {
  const extension = vscode.extensions.getExtension(`${packageJson.publisher}.${packageJson.name}`);
  assert.ok(extension, 'the extension under test is installed');
  return extension.extensionUri;
}

const cspLines = (text: string): string[] => text.split('\n').filter((line) => line.includes('Content Security Policy'));

describe('security probes', () => {
  describe('hostile text renders as inert text', () => {
    const fake = useFakeCloud({ jobSeconds: 0.3 });

    it('in the task panel: the prompt element holds the raw string, isolated for bidi, and no CSP violation happened', async () => {
      const lines: string[] = [];
      const log: PanelLog = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
      const studio = createStudioEngine({ credentials: () => TEST_CREDENTIALS, journal: new MemoryJournal(), endpoint: fake.url });
      const none = () => Promise.resolve();
      const actions: TaskActions = { open: none, revealInExplorer: none, insertMarkdownLink: none, copyPath: none, regenerate: none, useAsReference: none, cancel: none };
      const panel = new TaskPanel({ extensionUri: extensionUri(), engine: studio.engine, actions, log, localResourceRoots: () => [workspaceUri(OUTPUT)] });
      try {
        panel.reveal(true);
        await panel.whenReady();
        const task = studio.engine.start({ modelId: 'hunyuan-image-job', prompt: HOSTILE, negativePrompt: HOSTILE }, { directory: workspaceUri(OUTPUT).fsPath });
        const row = await waitFor('the hostile task to render as Saved with its preview', async () =>
          (await panel.renderedRows()).find((r) => r.taskId === task.id && r.state === 'saved' && r.hasImage),
        );
        assert.equal(row.prompt, HOSTILE, 'the prompt is exactly the raw string, as text');
        assert.equal(row.promptIsolated, true, 'dir=auto and unicode-bidi: isolate: the RLO reorders only the prompt');
        // Parsed as HTML, the <img onerror> would have tripped the CSP (the page reports violations).
        assert.deepEqual(cspLines(lines.join('\n')), []);
      } finally {
        panel.dispose();
        await studio.dispose();
      }
    });

    it('in the gallery: metadata of a PNG someone else committed is shown as the raw string, and no CSP violation happened', async function () {
      this.timeout(60_000);
      const record: GenerationRecord = {
        prompt: HOSTILE,
        negativePrompt: '</script><script>alert(1)</script>',
        model: '<img src=x onerror=alert(1)>',
        style: '\u202Eelyts',
        size: '1024:1024',
        requestId: '"><svg onload=alert(1)>',
        time: new Date().toISOString(),
      };
      // Written the way a stranger's commit would put it there: our format, hostile values.
      const bytes = await addImageMetadata(drawImage({ prompt: 'committed', width: 128, height: 128, format: 'png' }), { record, label: buildAigcLabel(record, 'someone-else') });
      await removeAll(OUTPUT);
      const file = await writeFile(`${OUTPUT}/committed-by-someone-else.png`, bytes);
      await vscode.commands.executeCommand('imageStudio.openGallery');
      const gallery = await vscode.commands.executeCommand<GalleryTestHandle | undefined>('imageStudio.galleryForTests');
      assert.ok(gallery, 'the extension hands the tests its gallery');
      await gallery.view.whenReady();
      const item = await waitFor('the committed image in the grid', async () => {
        if (!gallery.view.visible) await vscode.commands.executeCommand('imageStudio.openGallery');
        await gallery.view.whenReady();
        return (await gallery.view.renderedItems()).find((candidate) => candidate.id === file.toString());
      });
      assert.equal(item.prompt, HOSTILE, 'the hover text is exactly the raw prompt');
      assert.equal(gallery.store.get(file.toString())?.record?.model, record.model, 'the record was read as data');
      assert.deepEqual(cspLines(extensionLogText()), [], 'no CSP violation was reported by either page');
      await removeAll(OUTPUT);
    });
  });

  describe('the output folder stays inside the workspace folder', () => {
    const fake = useFakeCloud({ jobSeconds: 0.3 });
    let outside: string;
    let restoreSettings: (() => Promise<void>) | undefined;

    beforeEach(() => {
      outside = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-outside-'));
    });
    afterEach(async () => {
      await restoreSettings?.();
      restoreSettings = undefined;
      await removeAll('linked');
      await removeAll(OUTPUT);
      fs.rmSync(outside, { recursive: true, force: true });
    });

    const parentEntries = (): string[] => fs.readdirSync(path.dirname(workspaceRoot().fsPath)).sort();

    it('`..` and absolute paths: the setting is refused (a warning), the image goes to the default folder, nothing outside', async () => {
      for (const outputFolder of ['../escaped', '/tmp/escaped', `${outside}`]) {
        const before = parentEntries();
        restoreSettings = await updateWorkspaceSettings({ outputFolder });
        const warnings: SettingWarning[] = [];
        assert.equal(readSettings(undefined, (w) => warnings.push(w)).outputFolder, OUTPUT);
        assert.deepEqual(warnings.map((w) => w.setting), ['imageStudio.outputFolder']);
        const outcome = await generate(`escape attempt ${outputFolder}`);
        assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
        assert.ok(outcome.files.every((file) => file.startsWith(`${OUTPUT}/`)), JSON.stringify(outcome.files));
        assert.deepEqual(parentEntries(), before, 'nothing appeared beside the workspace folder');
        assert.deepEqual(fs.readdirSync(outside), []);
        assert.ok(!fs.existsSync('/tmp/escaped'));
        await restoreSettings();
        restoreSettings = undefined;
      }
    });

    it('a symbolic link inside the workspace pointing outside: refused before anything is submitted, nothing written outside', async () => {
      fs.symlinkSync(outside, path.join(workspaceRoot().fsPath, 'linked'));
      restoreSettings = await updateWorkspaceSettings({ outputFolder: 'linked/generated' });
      const submits = JSON.stringify(fake.cloud.stats().submits);
      const outcome = await generate('a prompt that must not land outside');
      assert.deepEqual([outcome.state, outcome.errorCode], ['refused', 'Client.OutputFolderOutside']);
      assert.equal(JSON.stringify(fake.cloud.stats().submits), submits, 'nothing was submitted (nor billed)');
      await waitFor('the refusal in the log', () => /Client\.OutputFolderOutside .*symbolic link/.test(extensionLogText()));
      assert.deepEqual(fs.readdirSync(outside), [], 'nothing was written through the link');
    });

    it('the saver checks again (a link made after the task started): the download is not published through it', async () => {
      // The folder was an ordinary one when the task started; by the time the image comes, it is a link.
      fs.symlinkSync(outside, path.join(workspaceRoot().fsPath, 'linked'));
      const saver = new WorkspaceImageSaver({
        temporaryRoot: fs.mkdtempSync(path.join(os.tmpdir(), 'studio-scratch-')),
        fileSaver: () => new FileImageSaver(),
      });
      const image = drawImage({ prompt: 'late link', width: 64, height: 64, format: 'png' });
      const request = {
        directory: path.join(workspaceRoot().fsPath, 'linked', 'generated'),
        prompt: 'late link',
        image: { kind: 'base64' as const, data: image.toString('base64') },
        record: { prompt: 'late link', model: 'hunyuan-image-job', time: new Date().toISOString() },
      };
      await assert.rejects(saver.save(request), (error: { code?: string }) => error.code === 'Client.OutputFolderOutside');
      assert.deepEqual(fs.readdirSync(outside), [], 'not even the folder was created outside');
      assert.deepEqual(scratchLeftovers(), []);
    });
  });

  describe('an untrusted workspace cannot choose the endpoint, the output folder or the proxy', () => {
    let restore: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await restore?.();
      restore = undefined;
    });

    it('reads only user and default values for them, and says which workspace settings it ignored', async () => {
      restore = await updateWorkspaceSettings({ endpoint: 'https://collector.example.com', outputFolder: 'docs/evil', count: 3 });
      const warnings: SettingWarning[] = [];
      const untrusted = readSettings(undefined, (w) => warnings.push(w), { trusted: false });
      assert.equal(untrusted.endpoint, undefined, 'the workspace endpoint is ignored');
      assert.equal(untrusted.outputFolder, OUTPUT, 'the workspace output folder is ignored');
      assert.equal(untrusted.count, 3, 'settings that send nothing anywhere still count');
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(warnings[0]!.message, /not trusted.*imageStudio\.endpoint, imageStudio\.outputFolder/);
    });

    it('the proxy: a repository’s http.proxy is never used (VS Code keeps it to user settings; ours reads user values when untrusted)', async () => {
      // VS Code refuses to write an application-scoped setting into the workspace...
      await assert.rejects(
        Promise.resolve(vscode.workspace.getConfiguration('http').update('proxy', 'http://proxy.example.com:3128', vscode.ConfigurationTarget.Workspace)),
        /can be written only into User settings/,
      );
      // ...and a repository that commits it by hand gets it ignored.
      const file = path.join(workspaceRoot().fsPath, '.vscode', 'settings.json');
      const original = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      const changed = new Promise<void>((resolve) => {
        const subscription = vscode.workspace.onDidChangeConfiguration((event) => {
          if (event.affectsConfiguration('http.proxy') || event.affectsConfiguration('imageStudio.style')) {
            subscription.dispose();
            resolve();
          }
        });
      });
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(original ?? '{}'), 'http.proxy': 'http://proxy.example.com:3128', 'imageStudio.style': 'riman' }, null, 2));
      try {
        await changed;
        assert.equal(vscode.workspace.getConfiguration('http').inspect('proxy')?.workspaceValue, undefined, 'VS Code does not read it from the workspace');
        assert.equal(proxyFromEnvironment({}), undefined);
        assert.equal(proxyFromEnvironment({}, { trusted: false }), undefined);
      } finally {
        if (original === undefined) fs.rmSync(file, { force: true });
        else fs.writeFileSync(file, original);
      }
      // The user's own proxy counts, trusted or not.
      await vscode.workspace.getConfiguration('http').update('proxy', 'http://user-proxy.example.com:8080', vscode.ConfigurationTarget.Global);
      try {
        assert.equal(proxyFromEnvironment({}, { trusted: false })?.url, 'http://user-proxy.example.com:8080');
      } finally {
        await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('the wiring: readSettings follows vscode.workspace.isTrusted by default (trusted in this runner)', async () => {
      assert.equal(vscode.workspace.isTrusted, true, 'the runner disables workspace trust, so the window is trusted');
      restore = await updateWorkspaceSettings({ endpoint: 'https://gw.example.com', outputFolder: 'docs/images' });
      const warnings: SettingWarning[] = [];
      const settings = readSettings(undefined, (w) => warnings.push(w));
      assert.deepEqual([settings.endpoint, settings.outputFolder, warnings], ['https://gw.example.com', 'docs/images', []]);
    });

    it('package.json declares the endpoint and output folder as restricted in untrusted workspaces', () => {
      const capabilities = (packageJson as { capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] } } }).capabilities;
      assert.equal(capabilities?.untrustedWorkspaces?.supported, 'limited');
      assert.deepEqual([...(capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [])].sort(), ['imageStudio.endpoint', 'imageStudio.outputFolder']);
    });
  });

  it('the endpoint: plain http only for loopback, by name or address, never a look-alike', async () => {
    const accepted = ['http://[::1]:9000', 'http://127.0.0.1:9', 'http://localhost:9', 'http://2130706433:9', 'https://u.example.com'];
    const refused = ['http://127.0.0.1.evil.com', 'http://localhost.', 'http://a.localhost', 'http://localhost.evil.com', 'https://u:p@gw.example.com', 'http://localhost@evil.com', 'http://[::ffff:7f00:1]'];
    for (const endpoint of [...accepted, ...refused]) {
      const restore = await updateWorkspaceSettings({ endpoint });
      try {
        const warnings: SettingWarning[] = [];
        const settings = readSettings(undefined, (w) => warnings.push(w));
        if (accepted.includes(endpoint)) assert.deepEqual([settings.endpoint !== undefined, warnings], [true, []], `accepts ${endpoint}`);
        else {
          assert.equal(settings.endpoint, undefined, `refuses ${endpoint}`);
          assert.deepEqual(warnings.map((w) => w.setting), ['imageStudio.endpoint'], endpoint);
          assert.ok(!warnings[0]!.message.includes('u:p@'), 'the user name and password are not repeated');
        }
      } finally {
        await restore();
      }
    }
  });

  describe('result downloads through the extension', () => {
    const fake = useFakeCloud({ jobSeconds: 0.2 });
    beforeEach(() => removeAll(OUTPUT));
    afterEach(() => fake.cloud.setFaults([]));

    it('follows three redirects and saves the image', async () => {
      fake.cloud.setFaults(['redirect-download=3']);
      const outcome = await generate('three hops');
      assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
      assert.deepEqual(await listFiles(OUTPUT), [outcome.files[0]!.slice(OUTPUT.length + 1)]);
    });

    it('refuses a fourth redirect and a redirect to another scheme, and keeps nothing', async () => {
      for (const [fault, code] of [
        ['redirect-download=4', 'Client.TooManyRedirects'],
        ['redirect-download=file', 'Client.RedirectRefused'],
      ] as const) {
        fake.cloud.setFaults([fault]);
        const outcome = await generate(`redirect ${fault}`);
        assert.deepEqual([outcome.state, outcome.errorCode], ['failed', code], JSON.stringify(outcome));
        assert.ok((await toldUser(outcome.taskId)).length > 0);
        assert.deepEqual(await listFiles(OUTPUT), [], `${fault}: nothing kept`);
        assert.deepEqual(scratchLeftovers(), []);
      }
    });
  });

  describe('a marker secret', () => {
    const MARKER_ID = `AKIDmarker${randomBytes(12).toString('hex')}`;
    const MARKER_KEY = `MARKER-SECRET-${randomBytes(16).toString('hex')}`;
    const MARKER_TOKEN = `MARKER-TOKEN-${randomBytes(16).toString('hex')}`;
    // The simulated cloud accepts only the marker pair, which only SecretStorage holds.
    useFakeCloud({ credentials: 'none', secretId: MARKER_ID, secretKey: MARKER_KEY, sessionToken: MARKER_TOKEN, jobSeconds: 0.2 });

    after(() => vscode.commands.executeCommand('imageStudio.clearCredentials', { confirmed: true }));

    it('used for a real generation, is found in no log, settings file, storage, workspace file or test output', async function () {
      this.timeout(120_000);
      assert.equal(await vscode.commands.executeCommand('imageStudio.setCredentials', { secretId: MARKER_ID, secretKey: MARKER_KEY, sessionToken: MARKER_TOKEN }), true);
      const outcome = await generate('a generation signed with the marker secret');
      assert.equal(outcome.state, 'saved', `control: the marker pair really signed a generation (${JSON.stringify(outcome)})`);
      // The gallery shows the new image, so its page state holds this run's items too.
      await vscode.commands.executeCommand('imageStudio.openGallery');
      await waitFor('the generation in the log', () => extensionLogText().includes(outcome.taskId!));
      assert.ok(!JSON.stringify(outcome).includes('MARKER'), 'the outcome carries no secret');

      // The runner's whole throwaway folder: user data (settings, logs, globalStorage and
      // workspaceStorage databases, state.vscdb), the browser profile (IndexedDB: the webviews'
      // persisted state in the web workbench), the server log, the workspace; and test-output.
      const logs = process.env.STUDIO_TEST_LOGS_DIR;
      assert.ok(logs, 'the runner names its folders');
      const runFolder = path.dirname(path.dirname(logs));
      const roots = [runFolder, workspaceRoot().fsPath, process.env.STUDIO_TEST_OUTPUT].filter((root): root is string => root !== undefined && fs.existsSync(root));
      const files = roots.flatMap(filesUnder);
      const userSettings = path.join(path.dirname(logs), 'User', 'settings.json');
      assert.ok(files.includes(userSettings), `control: the user settings (${userSettings}) are scanned`);
      assert.ok(files.some((file) => file.endsWith(path.join('.vscode', 'settings.json'))), 'control: the workspace settings are scanned');
      assert.ok(files.some((file) => file.endsWith('AIGC Image Studio.log')), 'control: the extension log is scanned');
      assert.ok(files.some((file) => file.endsWith(outcome.files[0]!.split('/').pop()!)), 'control: the saved image is scanned');
      const needles = [MARKER_KEY, MARKER_TOKEN].flatMap((secret) => [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')]);
      // Positive control for the scanner itself: a string known to be on disk is found.
      assert.ok(files.some((file) => readQuietly(file)?.includes(Buffer.from(outcome.taskId!, 'utf8'))), 'control: the task id is found by the scan');
      const hits = files.filter((file) => {
        const bytes = readQuietly(file);
        return bytes !== undefined && needles.some((needle) => bytes.includes(needle));
      });
      assert.deepEqual(hits, [], `the secret was found in ${hits.join(', ')}`);
      const prompt = Buffer.from('a generation signed with the marker secret', 'utf8');
      const stored = files.filter((file) => !file.startsWith(workspaceRoot().fsPath) && readQuietly(file)?.includes(prompt));
      // Control: the pages' persisted state really is among the scanned files. The web workbench
      // (code-server) keeps it in the browser's IndexedDB at once; desktop VS Code writes
      // state.vscdb on its own schedule, so there it is only reported.
      if (fs.existsSync(path.join(runFolder, 'chromium-profile'))) assert.ok(stored.some((file) => file.includes('IndexedDB')), 'control: the webview state in IndexedDB is scanned');
      console.log(`      (scanned ${files.length} files under ${roots.length} folders; the prompt is stored in ${stored.map((file) => path.relative(runFolder, file)).join(', ') || 'none yet'})`);
    });
  });
});

/** Every regular file under `dir`, following no link. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** A file's bytes; undefined when it vanished or cannot be read (sockets, locks, files over 200 MB). */
function readQuietly(file: string): Buffer | undefined {
  try {
    return fs.statSync(file).size > 200 * 1024 * 1024 ? undefined : fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
