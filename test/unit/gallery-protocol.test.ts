// The host <-> gallery protocol (src/shared/gallery-protocol.ts) and the gallery page's pure parts:
// the virtualised grid's geometry and keyboard moves (layout.ts) and its formatting (format.ts).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GALLERY_ACTIONS,
  GALLERY_STRING_KEYS,
  type GalleryItem,
  GalleryHostMessageSchema,
  type GalleryStrings,
  GalleryWebviewMessageSchema,
  MAX_GALLERY_ITEMS,
  MAX_QUERY_TEXT,
} from '../../src/shared/gallery-protocol';
import { excerpt, fill, formatBytes, formatCount } from '../../src/webview/gallery/format';
import { cellPosition, GAP, gridLayout, isInView, MIN_CELL, moveActive, rangeInView, scrollToReveal } from '../../src/webview/gallery/layout';

const HOSTILE_PROMPT = '<img src=x onerror=alert(1)> </script><script>alert(2)</script> & "quotes"';

const strings = Object.fromEntries(GALLERY_STRING_KEYS.map((key) => [key, `text of ${key}`])) as GalleryStrings;

function item(overrides: Partial<GalleryItem> = {}): GalleryItem {
  return {
    id: 'file:///work/assets/generated/fox.png',
    src: 'https://file+.vscode-resource.vscode-cdn.net/work/assets/generated/fox.png',
    name: 'fox.png',
    relPath: 'assets/generated/fox.png',
    folderName: 'work',
    time: 1_763_700_000_000,
    bytes: 123_456,
    width: 1024,
    height: 1024,
    format: 'png',
    prompt: HOSTILE_PROMPT,
    model: 'hunyuan-image-job',
    modelLabel: '混元生图',
    size: '1024:1024',
    seed: 42,
    requestId: 'req-1',
    jobId: 'job-1',
    hasAigcLabel: true,
    ...overrides,
  };
}

const itemsMessage = (items: GalleryItem[]) => ({ type: 'items', generation: 3, total: 10, matched: items.length, items, models: [{ id: 'hunyuan-image-job', label: '混元生图' }], empty: null });

describe('gallery protocol', () => {
  describe('host -> webview', () => {
    it('accepts init, items (prompts are data, kept verbatim), reportRendered and echo', () => {
      const init = { type: 'init', language: 'zh-CN', strings, query: { text: '狐狸', model: '', sort: 'time' }, models: [], empty: 'setCredentials' };
      assert.ok(GalleryHostMessageSchema.safeParse(init).success);
      const parsed = GalleryHostMessageSchema.parse(itemsMessage([item(), item({ id: 'file:///b.jpg', prompt: undefined, model: undefined, hasAigcLabel: false })]));
      assert.equal(parsed.type === 'items' && parsed.items[0]?.prompt, HOSTILE_PROMPT);
      assert.ok(GalleryHostMessageSchema.safeParse({ ...itemsMessage([item()]), more: true }).success, 'the head of a list sent ahead');
      assert.ok(GalleryHostMessageSchema.safeParse({ type: 'reportRendered', requestId: 7 }).success);
      assert.ok(GalleryHostMessageSchema.safeParse({ type: 'echo', requestId: 1, payload: { anything: true } }).success);
    });

    it('refuses a missing string, an unknown field, a bad sort, a negative size and too many items', () => {
      const { gridHint: _dropped, ...fewer } = strings;
      const init = { type: 'init', language: 'en', strings, query: { text: '', model: '', sort: 'time' }, models: [], empty: null };
      assert.ok(!GalleryHostMessageSchema.safeParse({ ...init, strings: fewer }).success);
      assert.ok(!GalleryHostMessageSchema.safeParse({ ...init, extra: 1 }).success);
      assert.ok(!GalleryHostMessageSchema.safeParse({ ...init, query: { text: '', model: '', sort: 'size' } }).success);
      assert.ok(!GalleryHostMessageSchema.safeParse(itemsMessage([item({ bytes: -1 })])).success);
      assert.ok(!GalleryHostMessageSchema.safeParse(itemsMessage([{ ...item(), script: 'x' } as GalleryItem])).success);
      assert.ok(!GalleryHostMessageSchema.safeParse(itemsMessage([item({ id: '' })])).success);
      assert.ok(!GalleryHostMessageSchema.safeParse({ ...itemsMessage([item()]), more: false }).success, '`more` is there or absent, never false');
      const many = Array.from({ length: MAX_GALLERY_ITEMS + 1 }, () => item());
      assert.ok(!GalleryHostMessageSchema.safeParse(itemsMessage(many)).success);
    });
  });

  describe('webview -> host', () => {
    it('accepts every action, the query, the empty state buttons, rendered, metrics and the reports', () => {
      for (const action of GALLERY_ACTIONS) assert.ok(GalleryWebviewMessageSchema.safeParse({ type: 'action', action, id: 'file:///a.png' }).success, action);
      const valid = [
        { type: 'ready' },
        { type: 'query', text: '红狐狸 dawn', model: 'hunyuan-image-job', sort: 'name' },
        { type: 'emptyAction', action: 'setCredentials' },
        { type: 'emptyAction', action: 'generate' },
        { type: 'rendered', requestId: 2, shown: 'grid', items: [{ id: 'file:///a.png', prompt: HOSTILE_PROMPT, visible: true, thumbnailLoaded: false }], listed: 1 },
        { type: 'rendered', requestId: 3, shown: 'empty', detailId: 'file:///a.png', items: [], listed: 0 },
        { type: 'echoed', requestId: 1 },
        { type: 'metrics', firstScreenMs: 420.5, itemsReceivedMs: 200, itemCount: 2000, firstScreenCells: 21, domCells: 24, thumbnailsRequested: 24, thumbnailsLoaded: 21, jsHeapBytes: 5_000_000 },
        { type: 'cspViolation', directive: 'img-src', blockedUri: 'https://evil.example/x.png' },
        { type: 'droppedHostMessage', issues: 'items.0.bytes: too small' },
      ];
      for (const message of valid) assert.ok(GalleryWebviewMessageSchema.safeParse(message).success, JSON.stringify(message));
    });

    it('refuses an unknown action, a path instead of nothing, an oversized query and unknown message types', () => {
      const invalid = [
        { type: 'action', action: 'rm -rf', id: 'file:///a.png' },
        { type: 'action', action: 'delete', id: 'file:///a.png', file: '/etc/passwd' },
        { type: 'action', action: 'open' },
        { type: 'query', text: 'x'.repeat(MAX_QUERY_TEXT + 1), model: '', sort: 'time' },
        { type: 'query', text: 'fox', model: '', sort: 'time', extra: true },
        { type: 'emptyAction', action: 'clearCredentials' },
        { type: 'rendered', requestId: -1, shown: 'grid', items: [], listed: 0 },
        { type: 'metrics', firstScreenMs: -1, itemsReceivedMs: 0, itemCount: 0, firstScreenCells: 0, domCells: 0, thumbnailsRequested: 0, thumbnailsLoaded: 0 },
        { type: 'runCommand', command: 'workbench.action.terminal.new' },
        'ready',
        null,
      ];
      for (const message of invalid) assert.ok(!GalleryWebviewMessageSchema.safeParse(message).success, JSON.stringify(message)?.slice(0, 80));
    });
  });
});

describe('gallery grid layout', () => {
  it('fills the width with square cells of at least MIN_CELL px', () => {
    const sidebar = gridLayout(300, 2000);
    assert.equal(sidebar.columns, 3);
    assert.ok(sidebar.cell >= MIN_CELL);
    assert.ok(sidebar.columns * sidebar.cell + (sidebar.columns - 1) * GAP <= 300);
    assert.equal(sidebar.rows, Math.ceil(2000 / 3));
    assert.equal(gridLayout(40, 5).columns, 1, 'a very narrow view still shows one column');
    assert.equal(gridLayout(300, 0).height, 0);
  });

  it('keeps only the rows in view plus one margin row', () => {
    const layout = gridLayout(300, 2000);
    const viewHeight = 600;
    const top = rangeInView(layout, 2000, 0, viewHeight);
    const rowsInView = Math.ceil(viewHeight / layout.rowHeight);
    assert.deepEqual(top, { start: 0, end: (rowsInView + 1) * layout.columns });
    const middle = rangeInView(layout, 2000, 100 * layout.rowHeight, viewHeight);
    assert.equal(middle.start, 99 * layout.columns, 'one margin row above');
    assert.ok(middle.end - middle.start <= (rowsInView + 3) * layout.columns);
    const end = rangeInView(layout, 2000, layout.height, viewHeight);
    assert.equal(end.end, 2000);
    assert.deepEqual(rangeInView(layout, 0, 0, viewHeight), { start: 0, end: 0 });
  });

  it('places cells row by row and knows which are in view', () => {
    const layout = gridLayout(300, 10);
    assert.deepEqual(cellPosition(layout, 0), { x: 0, y: 0 });
    assert.deepEqual(cellPosition(layout, 4), { x: layout.cell + GAP, y: layout.rowHeight });
    assert.ok(isInView(layout, 0, 0, 50));
    assert.ok(!isInView(layout, 9, 0, 50));
    assert.equal(scrollToReveal(layout, 9, 0, 150), cellPosition(layout, 9).y + layout.cell - 150);
    assert.equal(scrollToReveal(layout, 0, 500, 150), 0);
    assert.equal(scrollToReveal(layout, 3, layout.rowHeight, 150), layout.rowHeight, 'already in view: no scrolling');
  });

  it('moves the active cell with arrows, pages, Home and End, staying inside the list', () => {
    const layout = gridLayout(300, 10); // 3 columns: rows 0-2, 3-5, 6-8, 9
    const page = 2 * layout.rowHeight;
    assert.equal(moveActive(layout, 10, 0, 'ArrowRight', page), 1);
    assert.equal(moveActive(layout, 10, 3, 'ArrowLeft', page), 2, 'left wraps to the row above');
    assert.equal(moveActive(layout, 10, 0, 'ArrowLeft', page), 0);
    assert.equal(moveActive(layout, 10, 9, 'ArrowRight', page), 9);
    assert.equal(moveActive(layout, 10, 1, 'ArrowDown', page), 4);
    assert.equal(moveActive(layout, 10, 8, 'ArrowDown', page), 8, 'no cell below: stays');
    assert.equal(moveActive(layout, 10, 1, 'ArrowUp', page), 1);
    assert.equal(moveActive(layout, 10, 7, 'ArrowUp', page), 4);
    assert.equal(moveActive(layout, 10, 1, 'PageDown', page), 7);
    assert.equal(moveActive(layout, 10, 5, 'PageDown', page), 9, 'the short last row: the last item');
    assert.equal(moveActive(layout, 10, 8, 'PageUp', page), 2);
    assert.equal(moveActive(layout, 10, 4, 'Home', page), 0);
    assert.equal(moveActive(layout, 10, 4, 'End', page), 9);
    assert.equal(moveActive(layout, 0, 0, 'End', page), -1);
  });
});

describe('gallery formatting', () => {
  it('fills templates, sizes, counts and excerpts', () => {
    assert.equal(fill('{0} of {1} images', 3, '2,000'), '3 of 2,000 images');
    assert.equal(fill('共 {0} 张', 5), '共 5 张');
    assert.equal(fill('{0} and {2}', 'a'), 'a and {2}');
    assert.equal(formatBytes(812, 'en'), '812 B');
    assert.equal(formatBytes(1536, 'en'), '1.5 KB');
    assert.equal(formatBytes(12.3 * 1_048_576, 'en'), '12.3 MB');
    assert.equal(formatCount(2000, 'en'), '2,000');
    assert.equal(excerpt('a\n  b\tc'), 'a b c');
    const emoji = '🦊'.repeat(10);
    assert.equal(excerpt(emoji, 5), `${'🦊'.repeat(4)}…`, 'never splits a surrogate pair');
  });
});

describe('gallery page layering', () => {
  it('imports only src/shared, its own folder and zod/mini, and never writes HTML', () => {
    const dir = join(__dirname, '../../src/webview/gallery');
    const files = readdirSync(dir).filter((name) => name.endsWith('.ts'));
    const sources = files.map((name) => [name, readFileSync(join(dir, name), 'utf8')] as const);
    const specifiers = sources.flatMap(([name, text]) => [...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\s+'([^']+)'/g)].map((m) => `${name}: ${m[1] ?? m[2]}`));
    assert.ok(specifiers.length > 0, 'found no imports: the check would prove nothing');
    assert.deepEqual(specifiers.filter((entry) => !/: (\.\/[\w-]+|\.\.\/\.\.\/shared\/[\w-]+|zod\/mini)$/.test(entry)), []);
    // Prompts and metadata come from files anyone may have committed: text only, never markup.
    assert.deepEqual(sources.filter(([, text]) => /innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(text)).map(([name]) => name), []);
  });
});
