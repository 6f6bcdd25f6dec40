// The gallery in the real extension host: the extension's own gallery view (opened through its
// command, resolved by VS Code in the activity-bar container), its real webview page (media/
// gallery.js under its CSP), real image files in the test workspace, and the simulated cloud for
// the images that tasks make. Messages from the page are sent through the page itself (echo), so
// they travel the real webview -> host path and its validation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { buildAigcLabel } from '../../src/core/images/aigc-label';
import { addImageMetadata, readImageMetadata } from '../../src/core/images/metadata';
import type { GenerationRecord } from '../../src/core/images/record';
import { sniffImage } from '../../src/core/images/sniff';
import { GALLERY_HEAD_ITEMS, type GalleryQuery, MAX_THUMBNAIL_BYTES, type RenderedGalleryItem } from '../../src/shared/gallery-protocol';
import type { GenerateOutcome } from '../../src/vscode/commands/generation';
import type { GalleryTestHandle } from '../../src/vscode/gallery/gallery';
import { EARLY_READS } from '../../src/vscode/gallery/gallery-store';
import { drawImage } from '../fake-cloud/draw';
import { makePng } from '../unit/image-fixtures';
import { useFakeCloud } from './support/cloud';
import { canTakeScreenshots, takeScreenshot } from './support/screenshot';
import { waitFor } from './support/wait';
import { extensionLogText } from './support/logs';
import { closeAllEditors, exists, listFiles, openEditor, readFileBytes, removeAll, workspaceUri, writeFile } from './support/workspace';

const OUTPUT = 'assets/generated';
const HOSTILE_PROMPT = '<img src=x onerror="document.title=\'pwned\'"> & "quotes" 猫';

interface Fixture {
  readonly file: string;
  readonly prompt?: string;
  readonly model?: string;
  readonly time?: string;
}

const hoursAgo = (hours: number): string => new Date(Date.now() - hours * 3_600_000).toISOString();

// Newest first by generation time; the plain image (no record) sorts by its mtime (written last: now).
const FIXTURES: Fixture[] = [
  { file: 'plain-photo.png' },
  { file: 'red-fox.png', prompt: '雪中的红狐狸 at dawn', model: 'hunyuan-image-job', time: hoursAgo(1) },
  { file: 'lighthouse.png', prompt: 'A lighthouse on a cliff, watercolour', model: 'aiart-text-to-image-lite', time: hoursAgo(2) },
  { file: 'hostile.png', prompt: HOSTILE_PROMPT, model: 'hunyuan-text-to-image-lite', time: hoursAgo(3) },
];

/** A real picture (small, to keep the suite fast) with our metadata; the record says what was asked for (1024:1024). */
async function imageWith(prompt: string, model: string, time: string, drawn = prompt): Promise<Buffer> {
  const record: GenerationRecord = { prompt, model, time, size: '1024:1024', requestId: `req-${time}` };
  return addImageMetadata(drawImage({ prompt: drawn, width: 256, height: 256, format: 'png' }), { record, label: buildAigcLabel(record, 'propagate-test') });
}

async function writeFixture(fixture: Fixture): Promise<vscode.Uri> {
  const bytes = fixture.prompt ? await imageWith(fixture.prompt, fixture.model!, fixture.time!) : makePng(200, 150);
  return writeFile(`${OUTPUT}/${fixture.file}`, bytes);
}

const idOf = (file: string): string => workspaceUri(`${OUTPUT}/${file}`).toString();
const nameOf = (item: RenderedGalleryItem): string => decodeURIComponent(item.id.split('/').pop()!);

describe('gallery', () => {
  const fake = useFakeCloud({ jobSeconds: 0.3 });
  let gallery: GalleryTestHandle;

  /** Opens the gallery when another view took the side bar (its page is discarded while hidden). */
  async function pageReady(): Promise<void> {
    if (!gallery.view.visible) await vscode.commands.executeCommand('imageStudio.openGallery');
    await gallery.view.whenReady();
  }

  async function rendered(): Promise<RenderedGalleryItem[]> {
    await pageReady();
    return gallery.view.renderedItems();
  }

  /** Waits until the page shows exactly the images `files` (paths in the output folder), in screen order. */
  async function showsExactly(files: string[], what: string): Promise<RenderedGalleryItem[]> {
    const ids = files.map(idOf);
    let last: string[] = [];
    try {
      return await waitFor(
        what,
        async () => {
          const items = await rendered();
          last = items.map(nameOf);
          return items.map((item) => item.id).join('\n') === ids.join('\n') && items;
        },
        { timeoutMs: 20_000, intervalMs: 150 },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; the page showed: ${last.join(', ') || '(nothing)'}`);
    }
  }

  /** Sends a message as the page would (it travels through the page and back). */
  async function fromPage(message: unknown): Promise<void> {
    await pageReady();
    await gallery.view.echoThroughWebview(message);
  }

  function search(query: Partial<GalleryQuery>): Promise<void> {
    return fromPage({ type: 'query', text: '', model: '', sort: 'time', ...query });
  }

  before(async function () {
    this.timeout(60_000);
    await closeAllEditors();
    await removeAll(OUTPUT);
    for (const fixture of FIXTURES.slice(1)) await writeFixture(fixture);
    await writeFixture(FIXTURES[0]!); // last: the newest mtime
    await vscode.commands.executeCommand('imageStudio.openGallery');
    const handle = await vscode.commands.executeCommand<GalleryTestHandle | undefined>('imageStudio.galleryForTests');
    assert.ok(handle, 'the extension runs in test mode, so it hands the tests its gallery');
    gallery = handle;
    await gallery.view.whenReady();
    // A query left by an earlier run of this window (the choice survives reloads on purpose).
    await search({});
  });

  after(async () => {
    gallery?.answerConfirmations([]);
    await search({}).catch(() => undefined);
    await closeAllEditors();
    await removeAll(OUTPUT);
    await removeAll('notes/gallery.md');
    await removeAll('notes/gallery-readme.md');
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('shows every image of the output folder newest first, prompts as text on hover, the image without metadata by its name', async () => {
    const items = await showsExactly(FIXTURES.map((f) => f.file), 'the four images, newest first');
    for (const fixture of FIXTURES) {
      const item = items.find((candidate) => nameOf(candidate) === fixture.file)!;
      assert.equal(item.id, idOf(fixture.file));
      // The hover text is the prompt exactly: markup in a prompt was rendered as text, not HTML.
      assert.equal(item.prompt, fixture.prompt ?? fixture.file);
    }
    await waitFor('the thumbnails in view to load', async () => {
      const visible = (await rendered()).filter((item) => item.visible);
      return visible.length > 0 && visible.every((item) => item.thumbnailLoaded);
    });
    const plain = gallery.store.get(idOf('plain-photo.png'));
    assert.equal(plain?.record, undefined);
    assert.deepEqual([plain?.width, plain?.height, plain?.format], [200, 150, 'png']);
    const fox = gallery.store.get(idOf('red-fox.png'));
    assert.equal(fox?.record?.model, 'hunyuan-image-job');
    assert.equal(fox?.hasAigcLabel, true);
    if (canTakeScreenshots()) await takeScreenshot('gallery');
  });

  describe('thumbnail cache', () => {
    /** The cached thumbnail of each image's current version, once every one has one. */
    async function cachedThumbnails(files: string[]): Promise<vscode.Uri[]> {
      return waitFor('a cached thumbnail of every image', async () => {
        const lookup = await gallery.thumbnails.lookup();
        const uris = files.map((file) => gallery.store.get(idOf(file))).map((entry) => entry && lookup(entry));
        return uris.every((uri) => uri !== undefined) && (uris as vscode.Uri[]);
      });
    }

    async function thumbnailFiles(): Promise<string[]> {
      return (await vscode.workspace.fs.readDirectory(gallery.thumbnails.directory)).map(([name]) => name).sort();
    }

    /** Hides the gallery (its page is discarded) and opens it again: a new page, a new list. */
    async function reopen(): Promise<void> {
      await vscode.commands.executeCommand('workbench.view.explorer');
      await vscode.commands.executeCommand('imageStudio.openGallery');
      await gallery.view.whenReady();
    }

    it('keeps the thumbnails the page decoded, and a reopened page draws them instead of the full images', async () => {
      const files = FIXTURES.map((f) => f.file);
      for (const uri of await cachedThumbnails(files)) {
        const bytes = await vscode.workspace.fs.readFile(uri);
        const info = sniffImage(bytes);
        assert.equal(info?.format, 'png', uri.path);
        assert.ok(info.width <= 256 && info.height <= 256 && bytes.byteLength <= MAX_THUMBNAIL_BYTES, `${info.width}×${info.height}, ${bytes.byteLength} bytes`);
      }
      await reopen();
      await waitFor('every thumbnail drawn from the cache', async () => {
        const items = await rendered();
        return items.length === files.length && items.every((item) => item.thumbnailLoaded && item.thumbnailFromCache === true);
      });
    });

    it('makes a fresh thumbnail for a changed file and removes the old one', async () => {
      const [old] = await cachedThumbnails(['plain-photo.png']);
      await writeFile(`${OUTPUT}/plain-photo.png`, makePng(120, 90));
      await vscode.commands.executeCommand('imageStudio.refreshGallery');
      const [fresh] = await cachedThumbnails(['plain-photo.png']);
      assert.notEqual(fresh!.toString(), old!.toString());
      assert.deepEqual(sniffImage(await vscode.workspace.fs.readFile(fresh!)), { format: 'png', width: 90, height: 90 }, 'the centre square of the new picture');
      await vscode.commands.executeCommand('imageStudio.refreshGallery');
      await waitFor('the old thumbnail removed', async () => !(await thumbnailFiles()).includes(old!.path.split('/').pop()!));
      await writeFixture(FIXTURES[0]!);
      await showsExactly(FIXTURES.map((f) => f.file), 'the plain image back as it was');
    });

    it('refuses a thumbnail that is no PNG, too large, or of an image not in the gallery, and logs why', async () => {
      await cachedThumbnails(FIXTURES.map((f) => f.file));
      const before = await thumbnailFiles();
      const dropped = gallery.view.droppedMessages;
      const fox = idOf('red-fox.png');
      await fromPage({ type: 'thumbnail', id: fox, bytes: new Uint8Array(MAX_THUMBNAIL_BYTES + 1) });
      assert.equal(gallery.view.droppedMessages, dropped + 1, 'over the byte bound: dropped by the schema');
      await fromPage({ type: 'thumbnail', id: fox, bytes: new TextEncoder().encode('<svg onload="alert(1)"></svg>') });
      // Own copies: a Buffer from Node's pool is a view that the webview channel does not carry as bytes.
      await fromPage({ type: 'thumbnail', id: fox, bytes: new Uint8Array(makePng(600, 600)) });
      await fromPage({ type: 'thumbnail', id: workspaceUri('outside/elsewhere.png').toString(), bytes: new Uint8Array(makePng(16, 16)) });
      const log = () => extensionLogText();
      await waitFor('the refusals in the log', () =>
        log().includes('Gallery: refused a thumbnail from the webview: the bytes for red-fox.png are not a PNG') &&
        log().includes('Gallery: refused a thumbnail from the webview: the thumbnail of red-fox.png is 600×600, more than 512×512') &&
        log().includes(`Gallery: refused a thumbnail from the webview: ${workspaceUri('outside/elsewhere.png').toString()} is not in the gallery`),
      );
      // (The previous test's stale thumbnail may be pruned meanwhile: only additions would be wrong.)
      assert.deepEqual((await thumbnailFiles()).filter((name) => !before.includes(name)), [], 'nothing was written');
    });
  });

  it('searches by a Chinese word, filters by model, sorts by name, and keeps the choice when the page reloads', async () => {
    await search({ text: '狐狸' });
    await showsExactly(['red-fox.png'], 'only the fox for 狐狸');
    await search({ text: 'LIGHTHOUSE cliff' });
    await showsExactly(['lighthouse.png'], 'every word matches, case-insensitively');
    await search({ text: '', model: 'hunyuan-text-to-image-lite' });
    await showsExactly(['hostile.png'], 'only the model filtered for');
    await search({ text: '', sort: 'name' });
    await showsExactly(['hostile.png', 'lighthouse.png', 'plain-photo.png', 'red-fox.png'], 'A to Z');

    await search({ text: '狐狸' });
    await showsExactly(['red-fox.png'], 'the fox again');
    // Hide the side bar (the page is discarded: no retained context) and open the gallery again.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await vscode.commands.executeCommand('imageStudio.openGallery');
    await gallery.view.whenReady();
    assert.deepEqual(gallery.view.query, { text: '狐狸', model: '', sort: 'time' });
    await showsExactly(['red-fox.png'], 'the remembered search applied after the reload');
    if (canTakeScreenshots()) await takeScreenshot('gallery-search');
    await search({});
    await showsExactly(FIXTURES.map((f) => f.file), 'everything again');
  });

  it('follows files added, renamed and deleted outside the extension, without a refresh', async () => {
    const outside = workspaceUri(OUTPUT).fsPath;
    await fs.writeFile(`${outside}/copied-in.png`, await imageWith('a copied-in harbour at night', 'hunyuan-image-job', new Date().toISOString()));
    await showsExactly(['copied-in.png', ...FIXTURES.map((f) => f.file)], 'the copied file, newest by its record');
    await fs.rename(`${outside}/copied-in.png`, `${outside}/harbour.png`);
    await showsExactly(['harbour.png', ...FIXTURES.map((f) => f.file)], 'the renamed file under its new name only');
    await fs.mkdir(`${outside}/2026`, { recursive: true });
    await fs.rename(`${outside}/harbour.png`, `${outside}/2026/harbour.png`);
    const moved = workspaceUri(`${OUTPUT}/2026/harbour.png`).toString();
    await waitFor('the file moved into a sub-folder', () => gallery.store.get(moved) && !gallery.store.get(idOf('harbour.png')));
    await showsExactly(['2026/harbour.png', ...FIXTURES.map((f) => f.file)], 'the moved file in the grid');
    await fs.rm(`${outside}/2026`, { recursive: true });
    await showsExactly(FIXTURES.map((f) => f.file), 'the deleted folder and its image gone');
  });

  it('tells from one listing of its folders that a file came or went, for the on-screen check behind the watcher', async () => {
    const outside = workspaceUri(OUTPUT).fsPath;
    await gallery.store.refresh();
    assert.equal(await gallery.store.namesDiffer(), false, 'the index holds what the folders hold');
    await fs.writeFile(`${outside}/unannounced.png`, makePng(8, 8));
    // At once, before the watcher's debounced refresh could have run.
    assert.equal(await gallery.store.namesDiffer(), true, 'a file the index does not hold');
    await gallery.store.refresh();
    assert.equal(await gallery.store.namesDiffer(), false);
    await fs.rm(`${outside}/unannounced.png`);
    assert.equal(await gallery.store.namesDiffer(), true, 'a file the index holds is gone');
    await gallery.store.refresh();
    assert.equal(await gallery.store.namesDiffer(), false);
  });

  it('does not read an unchanged file again (mtime and size), and reads it once either changes', async () => {
    const path = workspaceUri(`${OUTPUT}/lighthouse.png`).fsPath;
    const before = gallery.store.get(idOf('lighthouse.png'));
    assert.ok(before?.record);
    const { mtime } = await fs.stat(path);
    // Same length, other prompt, mtime put back: only a re-read could notice.
    const swapped = await imageWith('A lighthousE on a cliff, watercolour', 'aiart-text-to-image-lite', FIXTURES[2]!.time!, FIXTURES[2]!.prompt);
    assert.equal(swapped.length, (await fs.stat(path)).size, 'the swapped image has the same size');
    await fs.writeFile(path, swapped);
    await fs.utimes(path, mtime, mtime);
    assert.equal(await vscode.commands.executeCommand('imageStudio.refreshGallery'), FIXTURES.length);
    assert.equal(gallery.store.get(idOf('lighthouse.png')), before, 'the cached entry, the very same object: the file was not opened');

    const later = new Date(mtime.getTime() + 5_000);
    await fs.utimes(path, later, later);
    await vscode.commands.executeCommand('imageStudio.refreshGallery');
    assert.equal(gallery.store.get(idOf('lighthouse.png'))?.record?.prompt, 'A lighthousE on a cliff, watercolour', 'read again once its mtime changed');
    assert.equal((await readImageMetadata(await readFileBytes(`${OUTPUT}/lighthouse.png`))).record?.prompt, 'A lighthousE on a cliff, watercolour');
  });

  it('shows a task’s image as soon as the task saves it', async () => {
    const prompt = 'a paper lantern festival, 灯笼';
    const outcome = await vscode.commands.executeCommand<GenerateOutcome>('imageStudio.generate', prompt);
    assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
    const name = outcome.files[0]!.split('/').pop()!;
    const items = await showsExactly([name, ...FIXTURES.map((f) => f.file)], 'the new image first');
    assert.equal(items[0]!.prompt, prompt);
    await removeAll(outcome.files[0]!);
    await showsExactly(FIXTURES.map((f) => f.file), 'the image gone again');
  });

  describe('item actions', () => {
    afterEach(async () => {
      gallery.answerConfirmations([]);
      await closeAllEditors();
    });

    it('copies the prompt and the path, opens the image, and inserts a Markdown link at the cursor', async () => {
      await fromPage({ type: 'action', action: 'copyPrompt', id: idOf('red-fox.png') });
      await waitFor('the prompt on the clipboard', async () => (await vscode.env.clipboard.readText()) === '雪中的红狐狸 at dawn');
      await fromPage({ type: 'action', action: 'copyPath', id: idOf('red-fox.png') });
      await waitFor('the path on the clipboard', async () => (await vscode.env.clipboard.readText()) === workspaceUri(`${OUTPUT}/red-fox.png`).fsPath);

      await fromPage({ type: 'action', action: 'open', id: idOf('lighthouse.png') });
      await waitFor('the image open in an editor tab', () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
        return input?.uri?.toString() === idOf('lighthouse.png');
      });

      await writeFile('notes/gallery.md', '# Notes\n\nHERE\n');
      const editor = await openEditor('notes/gallery.md', 'HERE');
      editor.selection = new vscode.Selection(editor.selection.end, editor.selection.end);
      await fromPage({ type: 'action', action: 'insertLink', id: idOf('red-fox.png') });
      await waitFor('the link in the document', () => editor.document.getText().includes('HERE![雪中的红狐狸 at dawn](../assets/generated/red-fox.png)'));
    });

    it('regenerates with the record’s model and prompt and a new seed, next to the image', async () => {
      const before = await listFiles(OUTPUT);
      await fromPage({ type: 'action', action: 'regenerate', id: idOf('red-fox.png') });
      const added = await waitFor('a new image in the output folder', async () => (await listFiles(OUTPUT)).filter((name) => !before.includes(name)).find((name) => name.endsWith('.png')));
      const { record } = await readImageMetadata(await readFileBytes(`${OUTPUT}/${added}`));
      assert.equal(record?.prompt, '雪中的红狐狸 at dawn');
      assert.equal(record?.model, 'hunyuan-image-job');
      assert.equal(fake.cloud.stats().submits.SubmitHunyuanImageJob !== undefined, true);
      await waitFor('the regenerated image in the grid', async () => (await rendered()).some((item) => nameOf(item) === added));
      await removeAll(`${OUTPUT}/${added}`);
    });

    it('regenerates with edits: the prompt box comes prefilled with the image’s prompt', async () => {
      const before = await listFiles(OUTPUT);
      await fromPage({ type: 'action', action: 'regenerateWithEdits', id: idOf('lighthouse.png') });
      // The input box holds the prompt; accepting it unchanged runs the generation.
      await waitFor('the input box accepted', async () => {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return (await listFiles(OUTPUT)).some((name) => !before.includes(name));
      }, { timeoutMs: 30_000, intervalMs: 500 });
      // Published by a rename from a hidden .part file: a visible file is complete.
      const added = (await listFiles(OUTPUT)).find((name) => !before.includes(name))!;
      const { record } = await readImageMetadata(await readFileBytes(`${OUTPUT}/${added}`));
      assert.equal(record?.prompt, 'A lighthousE on a cliff, watercolour');
      assert.equal(record?.model, 'aiart-text-to-image-lite');
      await removeAll(`${OUTPUT}/${added}`);
    });

    it('explains why an image without a record cannot be regenerated, and does nothing', async () => {
      const submits = JSON.stringify(fake.cloud.stats().submits);
      await fromPage({ type: 'action', action: 'regenerate', id: idOf('plain-photo.png') });
      await waitFor('the refusal in the log', () => extensionLogText().includes('Gallery: cannot generate plain-photo.png again: it has no generation record'));
      assert.equal(JSON.stringify(fake.cloud.stats().submits), submits);
    });

    it('refuses an action on a file that is not in the gallery, and drops a malformed message', async () => {
      await writeFile('outside/keep.png', makePng(10, 10));
      gallery.answerConfirmations([true, true]);
      const dropped = gallery.view.droppedMessages;
      await fromPage({ type: 'action', action: 'delete', id: workspaceUri('outside/keep.png').toString() });
      await fromPage({ type: 'action', action: 'delete' });
      await fromPage({ type: 'query', text: 42, model: '', sort: 'time' });
      assert.equal(gallery.view.droppedMessages, dropped + 2);
      assert.equal(gallery.confirmationsLeft(), 2, 'no confirmation was even asked');
      assert.ok(await exists('outside/keep.png'));
      await removeAll('outside');
    });

    it('deletes only after confirmation, and the image leaves the grid', async () => {
      gallery.answerConfirmations([false]);
      await fromPage({ type: 'action', action: 'delete', id: idOf('hostile.png') });
      await waitFor('the confirmation to be answered', () => gallery.confirmationsLeft() === 0);
      assert.ok(await exists(`${OUTPUT}/hostile.png`), 'declined: the file stays');

      // To the trash; where the file system has none, a second confirmation deletes it for good.
      gallery.answerConfirmations([true, true]);
      await fromPage({ type: 'action', action: 'delete', id: idOf('hostile.png') });
      await waitFor('the file to be deleted', async () => !(await exists(`${OUTPUT}/hostile.png`)));
      await showsExactly(FIXTURES.filter((f) => f.file !== 'hostile.png').map((f) => f.file), 'the grid without it');
      await writeFixture(FIXTURES[3]!);
      await showsExactly(FIXTURES.map((f) => f.file), 'the image back');

      // Asked once from now on: to the trash, or (known to have none) permanently.
      gallery.answerConfirmations([true]);
      await fromPage({ type: 'action', action: 'delete', id: idOf('hostile.png') });
      await waitFor('the file to be deleted after one confirmation', async () => !(await exists(`${OUTPUT}/hostile.png`)));
      assert.equal(gallery.confirmationsLeft(), 0);
      await writeFixture(FIXTURES[3]!);
      await showsExactly(FIXTURES.map((f) => f.file), 'the image back again');
    });

    it('opens the output folder from the toolbar command', async () => {
      const folder = await vscode.commands.executeCommand<vscode.Uri>('imageStudio.openOutputFolder');
      assert.equal(folder?.toString(), workspaceUri(OUTPUT).toString());
    });

    it('uses an image as the reference for image-to-image (the style and strength picks answered with their defaults)', async () => {
      const before = await listFiles(OUTPUT);
      await fromPage({ type: 'action', action: 'useAsReference', id: idOf('red-fox.png') });
      await waitFor('the stylized image', async () => {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return (await listFiles(OUTPUT)).some((name) => !before.includes(name) && !name.startsWith('.'));
      }, { timeoutMs: 30_000, intervalMs: 500 });
      const added = (await listFiles(OUTPUT)).find((name) => !before.includes(name) && !name.startsWith('.'))!;
      const { record } = await readImageMetadata(await readFileBytes(`${OUTPUT}/${added}`));
      assert.equal(record?.model, 'aiart-image-to-image');
      assert.equal(fake.cloud.stats().submits.ImageToImage !== undefined, true);
      await removeAll(`${OUTPUT}/${added}`);
    });
  });

  describe('a long list', () => {
    const LONG = GALLERY_HEAD_ITEMS + 40;
    const STAGING = 'assets/staging-long';
    const MOVED = `${OUTPUT}/long`;

    after(async () => {
      await removeAll(STAGING);
      await removeAll(MOVED);
    });

    it('lists the newest files of a long read before the rest, draws its first screen from the head of the list, then holds the whole list', async function () {
      this.timeout(90_000);
      const bytes = makePng(64, 64);
      for (let index = 0; index < LONG; index++) await writeFile(`${STAGING}/long-${String(index).padStart(3, '0')}.png`, bytes);
      // One move: a single refresh finds them all to read (as a first open, or a folder copied in).
      const sizeBefore = gallery.store.size;
      const sizes: number[] = [];
      const listening = gallery.store.onDidChange(() => sizes.push(gallery.store.size));
      try {
        await vscode.workspace.fs.rename(workspaceUri(STAGING), workspaceUri(MOVED));
        await waitFor('the index to hold them all', async () => gallery.store.size === sizeBefore + LONG, { timeoutMs: 30_000, intervalMs: 150 });
      } finally {
        listening.dispose();
      }
      assert.ok(sizes.includes(sizeBefore + EARLY_READS), `the newest ${EARLY_READS} were listed before the rest (sizes seen: ${sizes.join(', ')})`);

      // A page loaded anew (hidden, then shown) says `ready`, and the answer comes head first.
      await vscode.commands.executeCommand('workbench.view.explorer');
      const before = gallery.view.lastMetrics;
      await vscode.commands.executeCommand('imageStudio.openGallery');
      await gallery.view.whenReady();
      const metrics = await waitFor('the new page to report its first screen', async () => gallery.view.lastMetrics !== before && gallery.view.lastMetrics, { timeoutMs: 20_000 });
      assert.equal(metrics.itemCount, GALLERY_HEAD_ITEMS, 'the first screen was drawn from the head, not the whole list');
      assert.ok(metrics.firstScreenCells > 0 && metrics.firstScreenCells < GALLERY_HEAD_ITEMS, `a screen's worth of cells (${metrics.firstScreenCells}) is within the head`);
      await waitFor('the whole list in the page', async () => (await gallery.view.rendered()).listed === sizeBefore + LONG, { timeoutMs: 20_000, intervalMs: 150 });
      const cells = await gallery.view.renderedItems();
      assert.ok(cells.length < GALLERY_HEAD_ITEMS, `the grid still holds about a screen of cells (${cells.length}), not the list`);
      assert.equal(new Set(cells.map((cell) => cell.id)).size, cells.length, 'no image twice after the rest arrived');
    });
  });

  describe('with no images', () => {
    it('shows its empty state when the output folders hold no image', async () => {
      await removeAll(OUTPUT);
      await waitFor('the empty state', async () => (await pageReady(), await gallery.view.rendered()).shown === 'empty', { timeoutMs: 20_000, intervalMs: 150 });
      if (canTakeScreenshots()) await takeScreenshot('gallery-empty');
    });
  });

  describe('the picture for the README', () => {
    it('shows the images of a few generations beside the Markdown file that links them', async function () {
      if (!canTakeScreenshots()) this.skip();
      await removeAll(OUTPUT);
      const prompts = ['雪中的红狐狸 at dawn', 'a lighthouse on a cliff, watercolour', 'a paper lantern festival at night', '竹林中的小屋，水墨风格', 'a red bicycle in the rain', 'sunflowers under a blue sky'];
      await writeFile('notes/gallery-readme.md', `# Illustrations\n\n${prompts.join('\n\n')}\n`);
      const editor = await openEditor('notes/gallery-readme.md');
      for (const prompt of prompts) {
        const start = editor.document.getText().indexOf(prompt);
        editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(start + prompt.length));
        const outcome = await vscode.commands.executeCommand<GenerateOutcome>('imageStudio.generateFromSelection');
        assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
      }
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
      await search({});
      await waitFor('six thumbnails loaded', async () => {
        const items = await rendered();
        return items.length === prompts.length && items.filter((item) => item.visible).every((item) => item.thumbnailLoaded);
      });
      await takeScreenshot('gallery-readme');
    });
  });
});
