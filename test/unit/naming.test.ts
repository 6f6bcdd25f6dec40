import * as assert from 'node:assert/strict';
import {
  candidateFileName,
  DEFAULT_SLUG,
  fileStem,
  fileTimestamp,
  isPortableFileName,
  MAX_SLUG_BYTES,
  MAX_SLUG_CHARS,
  slugFromPrompt,
} from '../../src/core/images/naming';

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');
const SLUG_SHAPE = /^[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*$/u;

describe('naming', () => {
  describe('slugFromPrompt', () => {
    it('lower-cases words and joins them with single hyphens', () => {
      assert.equal(slugFromPrompt('  A Cat,  on the MOON!  '), 'a-cat-on-the-moon');
      assert.equal(slugFromPrompt('tabs\tand\nnew\r\nlines'), 'tabs-and-new-lines');
    });

    it('keeps CJK and other scripts', () => {
      assert.equal(slugFromPrompt('一只猫在月球上，赛博朋克风格'), '一只猫在月球上-赛博朋克风格');
      assert.equal(slugFromPrompt('Кот на Луне'), 'кот-на-луне');
      assert.equal(slugFromPrompt('قطة على القمر'), 'قطة-على-القمر');
    });

    it('cannot escape the folder: separators and dots become hyphens', () => {
      assert.equal(slugFromPrompt('../../etc/passwd'), 'etc-passwd');
      assert.equal(slugFromPrompt('..\\..\\Windows\\System32'), 'windows-system32');
      assert.equal(slugFromPrompt('a<b>c:d"e/f\\g|h?i*j'), 'a-b-c-d-e-f-g-h-i-j');
    });

    it('falls back to "image" when nothing usable is left', () => {
      for (const prompt of ['', '   ', '!!!???...', '🐱🚀✨', '\u0000\u001f\u202e', '...', '---']) {
        assert.equal(slugFromPrompt(prompt), DEFAULT_SLUG, JSON.stringify(prompt));
      }
    });

    it('drops emoji, control and invisible format characters', () => {
      assert.equal(slugFromPrompt('🐱 cat 👍🏽 party🎉'), 'cat-party');
      assert.equal(slugFromPrompt('evil\u202Eexe.png'), 'evil-exe-png');
      assert.equal(slugFromPrompt('zero\u200Bwidth\u0007bell'), 'zero-width-bell');
    });

    it('avoids Windows device names, whatever their case', () => {
      for (const name of ['CON', 'con', 'Prn', 'AUX', 'nul', 'COM1', 'com9', 'LPT1', 'lpt9', 'COM¹']) {
        const slug = slugFromPrompt(name);
        assert.notEqual(slug.toLowerCase(), name.toLowerCase());
        assert.ok(isPortableFileName(`${slug}.png`), slug);
      }
      assert.equal(slugFromPrompt('CON'), 'con-image');
      assert.equal(slugFromPrompt('aux.txt'), 'aux-txt');
      assert.equal(slugFromPrompt('console'), 'console');
    });

    it('bounds the length in characters and in UTF-8 bytes', () => {
      const longCjk = '长'.repeat(1000);
      assert.equal(slugFromPrompt(longCjk), '长'.repeat(MAX_SLUG_CHARS));
      // Supplementary-plane ideographs are 4 bytes each: the byte bound wins over the character bound.
      const ext = slugFromPrompt('𠀀'.repeat(100));
      assert.ok(utf8(ext) <= MAX_SLUG_BYTES && ext.length > 0, `${utf8(ext)} bytes`);
      assert.equal(ext, '𠀀'.repeat(Math.floor(MAX_SLUG_BYTES / 4)));
      const words = slugFromPrompt('word '.repeat(100));
      assert.ok(Array.from(words).length <= MAX_SLUG_CHARS);
      assert.ok(!words.endsWith('-'), 'no trailing hyphen after cutting');
    });

    it('never splits a letter from its combining marks when cutting', () => {
      const decomposed = 'e\u0301'.repeat(100); // NFC turns each pair into é
      assert.equal(slugFromPrompt(decomposed), 'é'.repeat(MAX_SLUG_CHARS));
      const devanagari = slugFromPrompt('क्षि'.repeat(40));
      const lastCluster = Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(devanagari)).pop()?.segment;
      assert.ok(lastCluster && /^\p{L}/u.test(lastCluster), 'ends on a whole cluster');
    });
  });

  describe('file names', () => {
    it('stamps local time as yyyymmdd-hhmmss', () => {
      assert.equal(fileTimestamp(new Date(2025, 0, 2, 3, 4, 5)), '20250102-030405');
      assert.equal(fileTimestamp(new Date(2031, 11, 31, 23, 59, 58)), '20311231-235958');
    });

    it('builds <slug>-<stamp>[-n].<ext>', () => {
      const stem = fileStem('Sunset over 西湖', new Date(2025, 5, 7, 8, 9, 10));
      assert.equal(stem, 'sunset-over-西湖-20250607-080910');
      assert.equal(candidateFileName(stem, 'png', 1), 'sunset-over-西湖-20250607-080910.png');
      assert.equal(candidateFileName(stem, 'jpg', 2), 'sunset-over-西湖-20250607-080910-2.jpg');
      assert.equal(candidateFileName(stem, 'jpg', 3), 'sunset-over-西湖-20250607-080910-3.jpg');
    });

    it('keeps the longest names, and their temporary siblings, well under 255 bytes', () => {
      for (const prompt of ['长'.repeat(500), '𠀀'.repeat(500), 'x'.repeat(1000), 'é'.repeat(300)]) {
        const name = candidateFileName(fileStem(prompt, new Date()), 'jpeg', 999);
        const temporary = `.${fileStem(prompt, new Date())}.part-0123456789ab`;
        assert.ok(utf8(name) <= 220, `${utf8(name)} bytes`);
        assert.ok(utf8(temporary) <= 230, `${utf8(temporary)} bytes`);
      }
    });

    it('isPortableFileName rejects what some OS would refuse', () => {
      for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'a:b', 'a*b', 'a?b', 'a"b', 'a<b', 'a>b', 'a|b', 'a\u0001b', 'trailing.', 'trailing ', 'CON', 'con.png', 'LPT3.tar.gz', 'x'.repeat(256), '长'.repeat(86)]) {
        assert.equal(isPortableFileName(bad), false, JSON.stringify(bad));
      }
      for (const good of ['cat.png', '猫-20250101-000000.png', 'console.png', 'con-image.png', '长'.repeat(85)]) {
        assert.equal(isPortableFileName(good), true, good);
      }
    });

    it('every prompt yields a portable name (seeded random prompts)', () => {
      const alphabet = [...'aZ09 -_.,;:/\\<>|?*"\'\t\n\r\u0000\u001f\u007f\u0085\u00a0\u200b\u202e\ufeff\ufffe', '长', '猫', 'é', '\u0301', '😀', '👍🏽', '𠀀', '\ud800', '\udfff', 'ß', 'İ', 'Ω', '١', '¹', 'ॐ'];
      let seed = 42;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      for (let i = 0; i < 2000; i++) {
        const prompt = Array.from({ length: random(120) }, () => alphabet[random(alphabet.length)]).join('');
        const slug = slugFromPrompt(prompt);
        assert.match(slug, SLUG_SHAPE, JSON.stringify(prompt));
        assert.ok(Array.from(slug).length <= MAX_SLUG_CHARS + DEFAULT_SLUG.length + 1 && utf8(slug) <= MAX_SLUG_BYTES + DEFAULT_SLUG.length + 1);
        const name = candidateFileName(fileStem(prompt, new Date(2025, 0, 1)), 'png', 1 + random(20));
        assert.ok(isPortableFileName(name), `${JSON.stringify(prompt)} -> ${JSON.stringify(name)}`);
      }
    });
  });
});
