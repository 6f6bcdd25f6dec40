// The gallery's thumbnail cache, its pure parts: the `thumbnail` message and the items' `thumb` in
// the protocol (src/shared/gallery-protocol.ts), and the cache key (src/core/gallery/thumbnail-key.ts).
import * as assert from 'node:assert/strict';
import { GalleryHostMessageSchema, GalleryWebviewMessageSchema, MAX_THUMBNAIL_BYTES } from '../../src/shared/gallery-protocol';
import { keyOfThumbnailFile, thumbnailFileName, thumbnailKey } from '../../src/core/gallery/thumbnail-key';
import { makePng } from './image-fixtures';

const ID = 'file:///work/assets/generated/fox.png';

const item = (extra: object = {}) => ({
  id: ID,
  src: 'https://file+.vscode-resource.vscode-cdn.net/work/assets/generated/fox.png',
  name: 'fox.png',
  relPath: 'assets/generated/fox.png',
  folderName: 'work',
  time: 1_763_700_000_000,
  bytes: 123_456,
  format: 'png',
  hasAigcLabel: false,
  ...extra,
});
const items = (entry: object) => ({ type: 'items', generation: 1, total: 1, matched: 1, items: [entry], models: [], empty: null });

describe('gallery thumbnail cache', () => {
  describe('protocol', () => {
    it('lets an item carry the webview URI of its cached thumbnail, or none', () => {
      const thumb = 'https://file+.vscode-resource.vscode-cdn.net/home/u/.config/globalStorage/x/gallery-thumbnails/0123.png';
      const parsed = GalleryHostMessageSchema.parse(items(item({ thumb })));
      assert.equal(parsed.type === 'items' && parsed.items[0]?.thumb, thumb);
      assert.ok(GalleryHostMessageSchema.safeParse(items(item())).success);
      assert.equal(GalleryHostMessageSchema.safeParse(items(item({ thumb: 42 }))).success, false);
      assert.equal(GalleryHostMessageSchema.safeParse(items(item({ thumb: 'x'.repeat(8_001) }))).success, false);
    });

    it('accepts a thumbnail of bytes up to the bound, for an id', () => {
      const png = makePng(64, 64);
      const parsed = GalleryWebviewMessageSchema.parse({ type: 'thumbnail', id: ID, bytes: png });
      assert.ok(parsed.type === 'thumbnail' && parsed.bytes instanceof Uint8Array && parsed.bytes.byteLength === png.byteLength);
      assert.ok(GalleryWebviewMessageSchema.safeParse({ type: 'thumbnail', id: ID, bytes: new Uint8Array(MAX_THUMBNAIL_BYTES) }).success);
    });

    it('refuses a thumbnail too large, empty, not bytes, without an id, or with extra fields', () => {
      const refused = (message: object) => assert.equal(GalleryWebviewMessageSchema.safeParse({ type: 'thumbnail', ...message }).success, false, JSON.stringify(message).slice(0, 80));
      refused({ id: ID, bytes: new Uint8Array(MAX_THUMBNAIL_BYTES + 1) });
      refused({ id: ID, bytes: new Uint8Array(0) });
      refused({ id: ID, bytes: 'iVBORw0KGgo=' });
      refused({ id: ID, bytes: [137, 80, 78, 71] });
      refused({ id: ID, bytes: { 0: 137, 1: 80 } });
      refused({ id: '', bytes: makePng(8, 8) });
      refused({ bytes: makePng(8, 8) });
      refused({ id: ID, bytes: makePng(8, 8), path: '/etc/passwd' });
    });
  });

  describe('key', () => {
    const facts = { id: ID, mtime: 1_763_700_000_123, size: 123_456 };

    it('is the same for the same file, mtime and size, and a safe file name', () => {
      const key = thumbnailKey(facts);
      assert.match(key, /^[0-9a-f]{32}$/);
      assert.equal(thumbnailKey({ ...facts }), key);
      assert.equal(thumbnailFileName(key), `${key}.png`);
      assert.equal(keyOfThumbnailFile(thumbnailFileName(key)), key);
    });

    it('changes when the file, its mtime or its size changes', () => {
      const keys = new Set([
        thumbnailKey(facts),
        thumbnailKey({ ...facts, id: 'file:///work/assets/generated/fox2.png' }),
        thumbnailKey({ ...facts, mtime: facts.mtime + 1 }),
        thumbnailKey({ ...facts, size: facts.size + 1 }),
        // Fields do not run into each other: id "…1" + mtime "23…" is not id "…12" + mtime "3…".
        thumbnailKey({ id: `${ID}1`, mtime: 23, size: 1 }),
        thumbnailKey({ id: `${ID}12`, mtime: 3, size: 1 }),
      ]);
      assert.equal(keys.size, 6);
    });

    it('recognises only its own file names in the cache folder', () => {
      for (const name of ['notes.txt', '.0123456789abcdef0123456789abcdef-1a2b.part', '0123456789ABCDEF0123456789ABCDEF.png', '0123456789abcdef0123456789abcdef.png.png', '../0123456789abcdef0123456789abcdef.png']) {
        assert.equal(keyOfThumbnailFile(name), undefined, name);
      }
    });
  });
});
