/**
 * The codicon font and stylesheet our webviews load (media/codicons/), cut down to the icons of
 * src/shared/codicons.ts. @vscode/codicons ships every icon VS Code has (a 123 KB font, a 33 KB
 * stylesheet); the pages use a few dozen, and the .vsix has a 300 KB budget (design.md).
 *
 * The font is subset by HarfBuzz (through `subset-font`), so each kept glyph is the package's own
 * outline with its own metrics: the icons render exactly as the whole font drew them. The stylesheet
 * keeps the package's rules verbatim (base class, modifiers, one `:before` per icon), minus the
 * icons we do not ship. Called by esbuild.mjs on every build and by test/unit/codicons.test.ts.
 */
import { createHash } from 'node:crypto';
import subsetFont from 'subset-font';

export interface CodiconFiles {
  /** codicon.css */
  readonly css: string;
  /** codicon.ttf */
  readonly font: Buffer;
}

/** One icon rule of the package's stylesheet, e.g. `.codicon-search:before { content: "\ea6d" }`. */
const ICON_RULE = /^\.codicon-([a-z0-9-]+):before \{ content: "\\([0-9a-f]+)" \}$/gm;
/** The font reference, with the package's cache-busting query (a hash of its font). */
const FONT_URL = /url\("\.\/codicon\.ttf\?[0-9a-f]+"\)/;

/** Every icon of a codicon stylesheet: class name (without `codicon-`) to its code point. */
export function codePoints(css: string): Map<string, number> {
  return new Map([...css.matchAll(ICON_RULE)].map((match) => [match[1]!, Number.parseInt(match[2]!, 16)]));
}

/**
 * The package's font and stylesheet reduced to `names`. Throws on a name the package does not have
 * (a typo, or an icon dropped by a codicons update), so the build fails rather than ship a blank.
 */
export async function subsetCodicons(names: readonly string[], source: CodiconFiles): Promise<CodiconFiles> {
  const all = codePoints(source.css);
  const missing = names.filter((name) => !all.has(name));
  if (missing.length > 0) throw new Error(`@vscode/codicons has no icon named ${missing.map((name) => `"${name}"`).join(', ')}`);

  // The stylesheet's head: licence, @font-face, base class and modifiers; the icon rules follow it.
  const firstRule = source.css.search(ICON_RULE);
  if (firstRule < 0 || !FONT_URL.test(source.css.slice(0, firstRule))) {
    throw new Error('@vscode/codicons/dist/codicon.css no longer has the layout build/codicons.ts expects');
  }
  const font = await subsetFont(source.font, names.map((name) => String.fromCodePoint(all.get(name)!)).join(''), { targetFormat: 'truetype' });
  // A new query for new glyphs: a webview that cached the previous font must not keep drawing it.
  const version = createHash('sha256').update(font).digest('hex').slice(0, 16);
  const head = source.css.slice(0, firstRule).replace(FONT_URL, `url("./codicon.ttf?${version}")`);
  const rules = names.map((name) => `.codicon-${name}:before { content: "\\${all.get(name)!.toString(16)}" }`);
  return { css: `${head}${rules.join('\n')}\n`, font };
}
