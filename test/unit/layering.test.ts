// design.md: src/core is pure TypeScript and never imports 'vscode'; the webview side never imports core.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const importsVscode = /(?:from\s+['"]vscode['"])|(?:require\(\s*['"]vscode['"]\s*\))|(?:import\(\s*['"]vscode['"]\s*\))/;

describe('layering', () => {
  it('src/core never imports vscode', () => {
    const files = sourceFiles(join(__dirname, '../../src/core'));
    assert.ok(files.length > 0, 'src/core has source files');
    const offenders = files.filter((f) => importsVscode.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('the detector itself recognises every import form', () => {
    for (const line of [`import * as vscode from 'vscode';`, `const v = require("vscode");`, `await import('vscode')`]) {
      assert.ok(importsVscode.test(line), line);
    }
    assert.ok(!importsVscode.test(`import { x } from './vscode-like';`));
  });
});
