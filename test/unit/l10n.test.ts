// Every user-visible string has its Simplified Chinese translation, with the same placeholders:
// host strings go through vscode.l10n.t (l10n/bundle.l10n.zh-cn.json), contribution strings
// through package.nls*.json.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const readJson = (path: string): Record<string, string> => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, string>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The literal first argument of every `l10n.t(...)` call (single, double or back quotes, no interpolation). */
function localisedStrings(): Map<string, string> {
  const found = new Map<string, string>();
  const call = /l10n\.t\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const file of sourceFiles(join(root, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(call)) {
      const text = match[2]!.replace(/\\(['"`\\])/g, '$1');
      found.set(text, file.slice(root.length + 1));
    }
  }
  return found;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
const hasCjk = (text: string): boolean => /[\u3400-\u9fff]/.test(text);

describe('localisation', () => {
  const zh = readJson('l10n/bundle.l10n.zh-cn.json');

  it('finds the localised strings in the source (the extractor works)', () => {
    const strings = localisedStrings();
    assert.ok(strings.size > 50, `only ${strings.size} strings found`);
    assert.ok([...strings.keys()].some((s) => s.includes('{0}')), 'some strings have placeholders');
  });

  it('translates every vscode.l10n.t string into Chinese with the same placeholders', () => {
    const problems: string[] = [];
    for (const [text, file] of localisedStrings()) {
      const translation = zh[text];
      if (translation === undefined) problems.push(`missing (${file}): ${text}`);
      // Identifiers such as "RequestId" stay as they are; a sentence must be translated.
      else if (!hasCjk(translation) && /[a-z]+ [a-z]+/i.test(text)) problems.push(`not Chinese (${file}): ${translation}`);
      else if (placeholders(translation).join() !== placeholders(text).join()) problems.push(`placeholders differ (${file}): ${text} -> ${translation}`);
    }
    assert.deepEqual(problems, []);
  });

  it('keeps no translation that the source no longer uses', () => {
    const used = localisedStrings();
    assert.deepEqual(Object.keys(zh).filter((text) => !used.has(text)), []);
  });

  it('defines every %key% of package.json in English and Chinese', () => {
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    const keys = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
    assert.ok(keys.length > 20);
    const en = readJson('package.nls.json');
    const zhNls = readJson('package.nls.zh-cn.json');
    assert.deepEqual(keys.filter((k) => !(k in en)), [], 'missing in package.nls.json');
    assert.deepEqual(keys.filter((k) => !(k in zhNls)), [], 'missing in package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(en).sort(), Object.keys(zhNls).sort(), 'the two nls files have the same keys');
    for (const key of keys.filter((k) => !['displayName', 'category'].includes(k))) assert.ok(hasCjk(zhNls[key]!), `${key} is not translated`);
  });
});
