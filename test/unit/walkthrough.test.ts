// The Get Started walkthrough is declarative (package.json contributes.walkthroughs): VS Code reports
// none of its mistakes. A link to a misspelt command is a button that does nothing, a missing %key%
// shows the raw key, a missing or heavy image breaks the page or the .vsix budget. This checks them
// all, in English and in Chinese; test/e2e/walkthrough.e2e.ts shows the page in a real workbench.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

const root = join(__dirname, '../..');
const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(root, path), 'utf8')) as T;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; image?: string; markdown?: string; altText?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: Step[];
}
interface Manifest {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, unknown> };
    walkthroughs: Walkthrough[];
  };
}

const manifest = readJson<Manifest>('package.json');
const nls = { en: readJson<Record<string, string>>('package.nls.json'), zh: readJson<Record<string, string>>('package.nls.zh-cn.json') };

const contributedCommands = new Set(manifest.contributes.commands.map((c) => c.command));
const contributedViews = new Set(Object.values(manifest.contributes.views).flatMap((views) => views.map((v) => v.id)));
const settingKeys = new Set(Object.keys(manifest.contributes.configuration.properties));
/** VS Code's own commands the walkthrough links to; the browser test clicks them in a real workbench. */
const BUILT_IN_COMMANDS = new Set(['workbench.action.openSettings']);
/** The .vsix has a hard budget (300 KB); each picture is a hand-made SVG of a few KB. */
const MAX_MEDIA_BYTES = 4 * 1024;

/** `%key%` -> the key; anything else is a string shown untranslated. */
function nlsKey(value: string): string {
  const match = /^%([^%]+)%$/.exec(value);
  assert.ok(match, `"${value}" is not a %key% of package.nls.json`);
  return match[1]!;
}

/** Markdown links of a step description: `[label](target)`; on a line of its own VS Code renders one as a button. */
function links(description: string): { label: string; target: string; button: boolean }[] {
  return description.split('\n').flatMap((line) =>
    [...line.matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g)].map((m) => ({ label: m[1]!, target: m[2]!, button: m[0] === line.trim() })),
  );
}

/** `command:id?<url-encoded JSON arguments>` -> id and arguments. */
function commandLink(target: string): { id: string; args: unknown[] } {
  const [id, query] = target.slice('command:'.length).replace(/^toSide:/, '').split('?') as [string, string | undefined];
  const args: unknown = query === undefined ? [] : JSON.parse(decodeURIComponent(query));
  return { id, args: Array.isArray(args) ? args : [args] };
}

describe('the Get Started walkthrough', () => {
  const walkthroughs = manifest.contributes.walkthroughs;
  const walkthrough = walkthroughs[0]!;
  const stepText = (step: Step, field: 'title' | 'description', lang: 'en' | 'zh'): string => nls[lang][nlsKey(step[field])]!;

  it('is one walkthrough of four or more steps with unique ids, every text a %key% in English and Chinese', () => {
    assert.equal(walkthroughs.length, 1);
    assert.equal(walkthrough.id, 'imageStudio.gettingStarted');
    assert.ok(walkthrough.steps.length >= 4, `${walkthrough.steps.length} steps`);
    assert.equal(new Set(walkthrough.steps.map((s) => s.id)).size, walkthrough.steps.length, 'step ids repeat');
    const texts = [walkthrough.title, walkthrough.description, ...walkthrough.steps.flatMap((s) => [s.title, s.description, s.media.altText ?? ''])];
    for (const text of texts) {
      const key = nlsKey(text);
      assert.ok(nls.en[key], `${key} missing in package.nls.json`);
      assert.match(nls.zh[key] ?? '', /[\u3400-\u9fff]/, `${key} missing or not Chinese in package.nls.zh-cn.json`);
    }
  });

  it('covers credentials, generating, the gallery, and the model and watermark settings, each with a button', () => {
    const targets = walkthrough.steps.map((step) => links(stepText(step, 'description', 'en')).filter((l) => l.button).map((l) => l.target));
    for (const [i, step] of walkthrough.steps.entries()) assert.ok(targets[i]!.length > 0, `step ${step.id} has no button`);
    const all = targets.flat();
    for (const wanted of ['command:imageStudio.setCredentials', 'command:imageStudio.generate', 'command:imageStudio.openGallery']) {
      assert.ok(all.includes(wanted), `no button for ${wanted}`);
    }
    const settingsOpened = all.filter((t) => t.startsWith('command:workbench.action.openSettings')).flatMap((t) => commandLink(t).args);
    assert.deepEqual(settingsOpened.sort(), ['imageStudio.model', 'imageStudio.watermark']);
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`links only to contributed or built-in commands with valid arguments, and https pages (${lang})`, () => {
      const problems: string[] = [];
      for (const step of walkthrough.steps) {
        for (const { label, target } of links(stepText(step, 'description', lang))) {
          if (target.startsWith('https://')) continue;
          if (!target.startsWith('command:')) {
            problems.push(`${step.id}: "${label}" links to ${target}`);
            continue;
          }
          const { id, args } = commandLink(target);
          if (!contributedCommands.has(id) && !BUILT_IN_COMMANDS.has(id)) problems.push(`${step.id}: "${label}" runs unknown command ${id}`);
          if (id === 'workbench.action.openSettings' && !args.every((a) => typeof a === 'string' && settingKeys.has(a))) {
            problems.push(`${step.id}: "${label}" opens settings for ${JSON.stringify(args)}, not one of ours`);
          }
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it('has the same links in Chinese as in English: a translation cannot drop or alter a button', () => {
    for (const step of walkthrough.steps) {
      const targets = (lang: 'en' | 'zh'): string[] => links(stepText(step, 'description', lang)).map((l) => `${l.button ? 'button' : 'inline'} ${l.target}`);
      assert.deepEqual(targets('zh'), targets('en'), step.id);
    }
  });

  it('marks code as the walkthrough renders it, ``code``: a single backtick would show as it is', () => {
    for (const lang of ['en', 'zh'] as const) {
      for (const step of walkthrough.steps) assert.doesNotMatch(stepText(step, 'description', lang), /(?<!`)`(?!`)/, `${step.id} (${lang})`);
    }
  });

  it('completes steps on events that name contributed commands, views and settings', () => {
    const problems: string[] = [];
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents?.length, `${step.id} has no completionEvents`);
      for (const event of step.completionEvents) {
        const [kind, name = ''] = event.split(/:(.*)/s) as [string, string?];
        const known =
          kind === 'onCommand' ? contributedCommands.has(name) || BUILT_IN_COMMANDS.has(name)
          : kind === 'onView' ? contributedViews.has(name)
          : kind === 'onSettingChanged' ? settingKeys.has(name)
          : false;
        if (!known) problems.push(`${step.id}: ${event}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('shows an SVG from media/ for every step: present, packaged, small, self-contained', () => {
    const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!media\/\*\*$/m, 'media/ is no longer packaged: the pictures would be missing from the .vsix');
    for (const step of walkthrough.steps) {
      const file = step.media.svg;
      assert.ok(file, `${step.id}: media is not an svg (a PNG would not follow the colour theme and costs the .vsix more)`);
      assert.ok(posix.normalize(file).startsWith('media/'), `${step.id}: ${file} is outside media/`);
      const path = join(root, file);
      assert.ok(existsSync(path), `${step.id}: ${file} does not exist`);
      const bytes = statSync(path).size;
      assert.ok(bytes <= MAX_MEDIA_BYTES, `${step.id}: ${file} is ${bytes} bytes (limit ${MAX_MEDIA_BYTES})`);
      const svg = readFileSync(path, 'utf8');
      assert.match(svg, /^<svg [^>]*viewBox="0 0 \d+ \d+"/, `${file}: no <svg viewBox> at the start`);
      assert.match(svg, /<\/svg>\s*$/, `${file}: does not end with </svg>`);
      // VS Code inlines it into a webview whose policy allows no scripts, no style without its nonce and no
      // fetched images; these would silently not work. Colours come from the theme instead.
      assert.doesNotMatch(svg, /<script|<style|\sstyle=|<image|<foreignObject|href="(?!#)/, `${file}: uses something the walkthrough page blocks`);
      assert.match(svg, /var\(--vscode-/, `${file}: uses no theme colour`);
    }
  });

  it('keeps no picture in media/walkthrough/ that no step shows', () => {
    const shown = new Set(walkthrough.steps.map((s) => s.media.svg));
    const files = readdirSync(join(root, 'media/walkthrough')).map((f) => `media/walkthrough/${f}`);
    assert.deepEqual(files.filter((f) => !shown.has(f)), []);
  });
});
