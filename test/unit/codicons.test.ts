// The webviews ship only the codicons of src/shared/codicons.ts (build/codicons.ts cuts the font and
// stylesheet down to them). An icon the pages use but the subset lacks draws nothing at all, and no
// error says so: these checks keep the list, the pages and the built subset in step.
// The page helpers take a `CodiconName`, so `icon('serch')` fails `npm run typecheck`; here: class
// names written out in the pages' sources and stylesheets, and the font the build makes.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { codePoints, type CodiconFiles, subsetCodicons } from '../../build/codicons';
import { CODICON_NAMES, type CodiconName } from '../../src/shared/codicons';
import { TrueTypeFont } from './support/truetype';

const root = join(__dirname, '../..');
const codiconsPackage = join(root, 'node_modules/@vscode/codicons/dist');

function files(dir: string, extension: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, extension) : path.endsWith(extension) ? [path] : [];
  });
}

/** The page sources and stylesheets: everything that can name a codicon in a webview. */
function pageSources(): { path: string; text: string }[] {
  const sources = [...files(join(root, 'src/webview'), '.ts'), ...readdirSync(join(root, 'media')).filter((name) => name.endsWith('.css')).map((name) => join(root, 'media', name))];
  return sources.map((path) => ({ path: path.slice(root.length + 1), text: readFileSync(path, 'utf8') }));
}

/** Every `codicon-<name>` class written out, e.g. `.codicon-search` in CSS or 'codicon-modifier-spin' in code. */
function classesNamed(text: string): string[] {
  return [...text.matchAll(/\bcodicon-([a-z0-9]+(?:-[a-z0-9]+)*)/g)].map((match) => match[1]!);
}

describe('codicons shipped with the webviews', () => {
  const source: CodiconFiles = { css: readFileSync(join(codiconsPackage, 'codicon.css'), 'utf8'), font: readFileSync(join(codiconsPackage, 'codicon.ttf')) };
  let shipped: CodiconFiles;
  before(async () => {
    shipped = await subsetCodicons(CODICON_NAMES, source);
  });

  it('has a rule and a glyph for every codicon class the pages and their stylesheets name', () => {
    const named = pageSources().flatMap(({ path, text }) => classesNamed(text).map((name) => ({ path, name })));
    for (const kind of ['.ts', '.css']) assert.ok(named.some(({ path }) => path.endsWith(kind)), `found no codicon class in a ${kind} file: the check would prove nothing`);
    const rules = codePoints(shipped.css);
    const font = new TrueTypeFont(shipped.font);
    const missing = named.filter(({ name }) =>
      name.startsWith('modifier-') ? !shipped.css.includes(`.codicon-${name}`) : !rules.has(name) || font.glyphId(rules.get(name)!) === 0,
    );
    assert.deepEqual(missing, [], 'add these to src/shared/codicons.ts');
  });

  it('ships no icon the pages do not use', () => {
    const text = pageSources()
      .map((source) => source.text)
      .join('\n');
    // Code passes names as string literals (typed CodiconName); stylesheets write the class.
    const unused = CODICON_NAMES.filter((name) => !text.includes(`'${name}'`) && !classesNamed(text).includes(name));
    assert.deepEqual(unused, [], 'remove these from src/shared/codicons.ts: every glyph costs .vsix bytes');
  });

  it("draws each icon with the package's own glyph, advance and line metrics, and maps nothing else", () => {
    const original = new TrueTypeFont(source.font);
    const subset = new TrueTypeFont(shipped.font);
    const all = codePoints(source.css);
    for (const name of CODICON_NAMES) {
      const code = all.get(name)!;
      const [from, to] = [original.glyphId(code), subset.glyphId(code)];
      assert.notEqual(to, 0, `${name} (U+${code.toString(16)}) has a glyph`);
      assert.ok(subset.outline(to).length > 0, `${name} draws something`);
      // HarfBuzz drops the zero bytes that pad a glyph to an even length; the outline itself is the package's.
      const [kept, given] = [subset.outline(to), original.outline(from)];
      assert.ok(given.length - kept.length <= 3 && given.subarray(kept.length).every((byte) => byte === 0), `${name}: only padding dropped`);
      assert.deepEqual(kept, given.subarray(0, kept.length), `${name}: same outline as in @vscode/codicons`);
      assert.equal(subset.advance(to), original.advance(from), `${name}: same advance`);
    }
    assert.equal(subset.unitsPerEm, original.unitsPerEm);
    assert.deepEqual(subset.verticalMetrics, original.verticalMetrics, 'same baseline, so icons sit where they did');
    assert.deepEqual(subset.codePoints().sort(), [...new Set(CODICON_NAMES.map((name) => all.get(name)!))].sort());
  });

  it("keeps the package's base class and modifiers, and names the font by its content", async () => {
    const { createHash } = await import('node:crypto');
    const version = createHash('sha256').update(shipped.font).digest('hex').slice(0, 16);
    assert.ok(shipped.css.includes(`url("./codicon.ttf?${version}")`), 'the font URL changes with the glyphs, so no webview keeps a stale cached font');
    for (const rule of [".codicon[class*='codicon-'] {", '@keyframes codicon-spin', '.codicon-loading.codicon-modifier-spin']) assert.ok(shipped.css.includes(rule), rule);
    assert.deepEqual([...codePoints(shipped.css).keys()], [...CODICON_NAMES]);
    assert.ok(shipped.css.length < source.css.length / 5 && shipped.font.length < source.font.length / 10, 'a subset, not the whole set');
  });

  it('fails the build on a name @vscode/codicons does not have, naming it', async () => {
    // Compile-time half: a name outside the list is not a CodiconName.
    // @ts-expect-error 'serch' is a typo, and the page helpers refuse it
    const typo: CodiconName = 'serch';
    await assert.rejects(subsetCodicons([...CODICON_NAMES, typo], source), /no icon named "serch"/);
  });
});
