// The host <-> task panel protocol (src/shared/protocol.ts) and the TaskSnapshot -> TaskView
// mapping (src/vscode/task-view.ts, pure: no 'vscode' at run time).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskMachine, type TaskSnapshot } from '../../src/core/jobs/task';
import { cloudError } from '../../src/core/tencent/error-catalog';
import {
  HostMessageSchema,
  PANEL_STRING_KEYS,
  PanelStateSchema,
  type PanelStrings,
  type TaskView,
  TaskViewSchema,
  WebviewMessageSchema,
} from '../../src/shared/protocol';
import { formatElapsed } from '../../src/webview/tasks/format';
import { fileNameOf, languageOf, mergeTaskViews, restoredTaskView, type TaskViewText, toTaskView } from '../../src/vscode/task-view';

const HOSTILE_PROMPT = '<img src=x onerror=alert(1)> </script><script>alert(2)</script> & "quotes" \'single\'';

const strings = Object.fromEntries(PANEL_STRING_KEYS.map((key) => [key, `text of ${key}`])) as PanelStrings;

const zhText: TaskViewText = {
  states: { queued: '排队中', submitting: '提交中', running: '生成中', downloading: '下载中', saved: '已保存', failed: '失败', cancelled: '已取消' },
  savingImage: (saved, total) => `正在保存第 ${saved + 1} 张，共 ${total} 张`,
  cloudQueued: '在云端排队',
  interrupted: '窗口重新加载时任务中断',
};

const enText: TaskViewText = {
  states: { queued: 'Queued', submitting: 'Submitting', running: 'Running', downloading: 'Downloading', saved: 'Saved', failed: 'Failed', cancelled: 'Cancelled' },
  savingImage: (saved, total) => `Saving image ${saved + 1} of ${total}`,
  cloudQueued: "Waiting in the cloud's queue",
  interrupted: 'Interrupted by a reload',
};

const previewAll = (file: string): string => `https://webview.test/${encodeURIComponent(file)}`;

function machine(prompt = 'a cat', extra: Partial<TaskSnapshot['request']> = {}): TaskMachine {
  return new TaskMachine({ id: 'task-1', request: { modelId: 'hunyuan-image-job', prompt, ...extra }, directory: '/ws/assets/generated', now: 1_000 });
}

function savedSnapshot(prompt = 'a cat'): TaskSnapshot {
  const task = machine(prompt, { style: 'shuimo', resolution: '768:1024' });
  task.transition('submitting', 1_100);
  task.transition('running', 1_200, { jobId: 'job-9', requestId: 'req-1' });
  task.transition('downloading', 3_000, { progress: { saved: 0, total: 2 } });
  task.update(3_500, { progress: { saved: 1, total: 2 }, files: [{ path: '/ws/assets/generated/a-cat.png', bytes: 10, format: 'png' }] });
  return task.transition('saved', 4_000, {
    files: [
      { path: '/ws/assets/generated/a-cat.png', bytes: 10, format: 'png' },
      { path: '/ws/assets/generated/a-cat-1.png', bytes: 10, format: 'png' },
    ],
  });
}

function validView(overrides: Partial<TaskView> = {}): TaskView {
  return { ...toTaskView(savedSnapshot(), { language: 'en', text: enText, previewSrc: previewAll }), ...overrides };
}

describe('task panel protocol', () => {
  describe('webview -> host messages', () => {
    it('accepts every valid message', () => {
      for (const message of [
        { type: 'ready' },
        { type: 'action', action: 'open', taskId: 't1', file: '/ws/a.png' },
        { type: 'action', action: 'cancel', taskId: 't1' },
        { type: 'rows', requestId: 3, rows: [{ taskId: 't1', state: 'saved', prompt: HOSTILE_PROMPT, promptIsolated: true, hasImage: true }] },
        { type: 'echoed', requestId: 4 },
        { type: 'cspViolation', directive: 'img-src', blockedUri: 'https://evil.example/x.png' },
        { type: 'droppedHostMessage', issues: 'type: Invalid input' },
      ]) {
        assert.ok(WebviewMessageSchema.safeParse(message).success, JSON.stringify(message));
      }
    });

    it('rejects unknown, malformed and hostile messages', () => {
      for (const message of [
        undefined,
        null,
        'ready',
        42,
        [],
        {},
        { type: 'readyy' },
        { type: 'ready', extra: true },
        { type: 'action', action: 'deleteFile', taskId: 't1' },
        { type: 'action', action: 'open', taskId: '' },
        { type: 'action', action: 'open', taskId: 't1', file: 42 },
        { type: 'action', action: 'open', taskId: 'x'.repeat(201) },
        { type: 'action', action: 'open', taskId: 't1', file: 'f'.repeat(4_001) },
        JSON.parse('{"type":"action","action":"open","taskId":"t1","__proto__":{"polluted":true}}'),
        { type: 'rows', requestId: -1, rows: [] },
        { type: 'rows', requestId: 1.5, rows: [] },
        { type: 'rows', requestId: 1, rows: [{ taskId: 't1', state: 'exploded', prompt: '', promptIsolated: true, hasImage: false }] },
        { type: 'echoed', requestId: '1' },
      ]) {
        assert.equal(WebviewMessageSchema.safeParse(message).success, false, JSON.stringify(message) ?? String(message));
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe('host -> webview messages', () => {
    it('accepts init, tasks, reportRows and echo', () => {
      const tasks = [validView()];
      for (const message of [
        { type: 'init', language: 'zh-CN', strings, tasks, hostNow: 5_000 },
        { type: 'tasks', tasks: [], hostNow: 5_000 },
        { type: 'reportRows', requestId: 1 },
        { type: 'echo', requestId: 2, payload: { anything: ['goes'] } },
      ]) {
        assert.ok(HostMessageSchema.safeParse(message).success, JSON.stringify(message));
      }
    });

    it('rejects an init without every word, and a task with a bad state or extra fields', () => {
      const { cancel: _cancel, ...fewerStrings } = strings;
      assert.equal(HostMessageSchema.safeParse({ type: 'init', language: 'en', strings: fewerStrings, tasks: [], hostNow: 1 }).success, false);
      assert.equal(HostMessageSchema.safeParse({ type: 'tasks', tasks: [{ ...validView(), state: 'done' }], hostNow: 1 }).success, false);
      assert.equal(HostMessageSchema.safeParse({ type: 'tasks', tasks: [{ ...validView(), html: '<b>' }], hostNow: 1 }).success, false);
      assert.equal(HostMessageSchema.safeParse({ type: 'tasks', tasks: [validView()], hostNow: -1 }).success, false);
      assert.equal(HostMessageSchema.safeParse({ type: 'tasks', tasks: [{ ...validView(), images: Array(17).fill(validView().images[0]) }], hostNow: 1 }).success, false);
    });

    it('carries a hostile prompt as data, unchanged (the page renders it with textContent)', () => {
      const view = toTaskView(machine(HOSTILE_PROMPT).snapshot(), { language: 'en', text: enText, previewSrc: previewAll });
      assert.equal(view.prompt, HOSTILE_PROMPT);
      const parsed = HostMessageSchema.parse({ type: 'tasks', tasks: [view], hostNow: 1 });
      assert.equal(parsed.type === 'tasks' && parsed.tasks[0]!.prompt, HOSTILE_PROMPT);
    });
  });

  describe('saved panel state', () => {
    it('round-trips through JSON (what setState stores) and refuses another version', () => {
      const state = JSON.parse(JSON.stringify({ version: 1, language: 'en', strings, tasks: [validView()] }));
      assert.deepEqual(PanelStateSchema.parse(state), state);
      assert.equal(PanelStateSchema.safeParse({ ...state, version: 2 }).success, false);
    });
  });
});

describe('TaskSnapshot -> TaskView', () => {
  it('maps a saved task: localised model, style and state, size, files with previews, final elapsed time', () => {
    const view = toTaskView(savedSnapshot('一只猫'), { language: 'zh', text: zhText, previewSrc: previewAll });
    assert.equal(TaskViewSchema.safeParse(view).success, true);
    assert.equal(view.prompt, '一只猫');
    assert.equal(view.modelLabel, '混元生图');
    assert.equal(view.styleLabel, '水墨画');
    assert.equal(view.size, '768:1024');
    assert.equal(view.state, 'saved');
    assert.equal(view.stateLabel, '已保存');
    assert.equal(view.active, false);
    assert.equal(view.cancellable, false);
    assert.equal(view.canRegenerate, true);
    assert.equal(view.createdAt, 1_000);
    assert.equal(view.finishedAt, 4_000);
    assert.equal(view.progressLabel, undefined);
    assert.deepEqual(
      view.images.map((image) => [image.name, image.src]),
      [
        ['a-cat.png', previewAll('/ws/assets/generated/a-cat.png')],
        ['a-cat-1.png', previewAll('/ws/assets/generated/a-cat-1.png')],
      ],
    );
    assert.equal(view.requestId, 'req-1');
    assert.equal(view.jobId, 'job-9');
  });

  it('maps a running task: active, cancellable, no end time, the cloud-queue hint, the model default size', () => {
    const task = machine();
    task.transition('submitting', 1_100);
    const view = toTaskView(task.transition('running', 1_200, { cloudState: 'queued', jobId: 'j' }), { language: 'en', text: enText, previewSrc: previewAll });
    assert.equal(view.stateLabel, 'Running');
    assert.equal(view.active, true);
    assert.equal(view.cancellable, true);
    assert.equal(view.finishedAt, undefined);
    assert.equal(view.progressLabel, "Waiting in the cloud's queue");
    assert.equal(view.size, '1024:1024');
    assert.equal(view.styleLabel, undefined);
  });

  it('says which image is being saved while downloading', () => {
    const task = machine();
    task.transition('submitting', 1_100);
    const view = toTaskView(task.transition('downloading', 1_200, { progress: { saved: 1, total: 4 } }), { language: 'en', text: enText, previewSrc: previewAll });
    assert.deepEqual(view.progress, { saved: 1, total: 4 });
    assert.equal(view.progressLabel, 'Saving image 2 of 4');
  });

  it('maps a failure to the explanation and next step in the user language, with code and RequestId', () => {
    const task = machine();
    task.transition('submitting', 1_100);
    const error = cloudError('OperationDenied.TextIllegalDetected', 'text illegal', 'req-77');
    const failed = task.transition('failed', 1_300, { error });
    const zh = toTaskView(failed, { language: 'zh', text: zhText, previewSrc: previewAll });
    assert.equal(zh.stateLabel, '失败');
    assert.equal(zh.error?.code, 'OperationDenied.TextIllegalDetected');
    assert.equal(zh.error?.explanation, error.explanation.zh);
    assert.equal(zh.error?.nextStep, error.nextStep.zh);
    assert.equal(zh.error?.requestId, 'req-77');
    assert.match(zh.error!.explanation, /审核/);
    const en = toTaskView(failed, { language: 'en', text: enText, previewSrc: previewAll });
    assert.equal(en.error?.explanation, error.explanation.en);
    assert.equal(en.finishedAt, 1_300);
  });

  it('shows the billing note of a cancelled cloud job in the user language', () => {
    const task = machine();
    task.transition('submitting', 1_100);
    task.transition('running', 1_200, { jobId: 'j' });
    const cancelled = task.transition('cancelled', 1_500, {
      mayStillBeBilled: true,
      note: { en: 'Stopped waiting. The cloud job may still finish and be billed.', zh: '已停止等待。云端任务可能仍会完成并计费。' },
    });
    const view = toTaskView(cancelled, { language: 'zh', text: zhText, previewSrc: previewAll });
    assert.equal(view.stateLabel, '已取消');
    assert.equal(view.note, '已停止等待。云端任务可能仍会完成并计费。');
    assert.equal(view.cancellable, false);
  });

  it('keeps a file the webview may not load, without a preview (its actions still work)', () => {
    const view = toTaskView(savedSnapshot(), { language: 'en', text: enText, previewSrc: (file) => (file.endsWith('-1.png') ? undefined : previewAll(file)) });
    assert.deepEqual(
      view.images.map((image) => [image.name, image.src !== undefined]),
      [
        ['a-cat.png', true],
        ['a-cat-1.png', false],
      ],
    );
  });

  it('rebuilds a restored task: no cancel or regenerate, files outside the allowed folders dropped, interrupted ones say so', () => {
    const saved = validView({ images: [...validView().images, { file: '/etc/passwd', src: 'https://webview.test/x', name: 'passwd' }] });
    const allowed = (file: string): string | undefined => (file.startsWith('/ws/assets/generated/') ? `fresh:${file}` : undefined);
    const restored = restoredTaskView(saved, { text: enText, previewSrc: allowed });
    assert.equal(restored.restored, true);
    assert.equal(restored.cancellable, false);
    assert.equal(restored.canRegenerate, false);
    assert.deepEqual(
      restored.images.map((image) => image.src),
      ['fresh:/ws/assets/generated/a-cat.png', 'fresh:/ws/assets/generated/a-cat-1.png'],
    );
    const interrupted = restoredTaskView(validView({ state: 'running', active: true, cancellable: true, finishedAt: undefined }), { text: enText, previewSrc: allowed });
    assert.equal(interrupted.active, false);
    assert.equal(interrupted.note, 'Interrupted by a reload');
  });

  it('merges live and restored tasks newest first, the engine winning for an id it knows', () => {
    const live = [validView({ id: 'a', createdAt: 10, prompt: 'live a' }), validView({ id: 'b', createdAt: 30 })];
    const restored = [validView({ id: 'a', createdAt: 10, prompt: 'old a', restored: true }), validView({ id: 'c', createdAt: 20, restored: true })];
    const merged = mergeTaskViews(live, restored);
    assert.deepEqual(
      merged.map((task) => task.id),
      ['b', 'c', 'a'],
    );
    assert.equal(merged.find((task) => task.id === 'a')?.prompt, 'live a');
  });

  it('puts the later of two tasks started in the same millisecond first', () => {
    const merged = mergeTaskViews([validView({ id: 'first', createdAt: 5 }), validView({ id: 'second', createdAt: 5 })], []);
    assert.deepEqual(
      merged.map((task) => task.id),
      ['second', 'first'],
    );
  });

  it('reads Chinese for Chinese display languages and English otherwise', () => {
    assert.equal(languageOf('zh-cn'), 'zh');
    assert.equal(languageOf('zh-CN'), 'zh');
    assert.equal(languageOf('en'), 'en');
    assert.equal(languageOf('de'), 'en');
  });

  it('names files from paths and URIs, decoding URI escapes', () => {
    assert.equal(fileNameOf('/ws/assets/generated/a cat.png'), 'a cat.png');
    assert.equal(fileNameOf('C:\\ws\\generated\\猫.png'), '猫.png');
    assert.equal(fileNameOf('vscode-remote://ssh-remote+box/ws/%E7%8C%AB%20cat.png'), '猫 cat.png');
  });
});

describe('task panel elapsed time', () => {
  it('formats m:ss under an hour and h:mm:ss from an hour on', () => {
    assert.equal(formatElapsed(0), '0:00');
    assert.equal(formatElapsed(-5), '0:00');
    assert.equal(formatElapsed(12_400), '0:12');
    assert.equal(formatElapsed(65_000), '1:05');
    assert.equal(formatElapsed(3_600_000 + 61_000), '1:01:01');
  });
});

describe('webview layering', () => {
  it('the panel page imports only src/shared, its own folder and zod/mini (design.md layers)', () => {
    const dir = join(__dirname, '../../src/webview/tasks');
    const specifiers = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => [...readFileSync(join(dir, name), 'utf8').matchAll(/\bfrom\s+'([^']+)'|\bimport\s+'([^']+)'/g)].map((m) => `${name}: ${m[1] ?? m[2]}`));
    assert.ok(specifiers.length > 0, 'found no imports: the check would prove nothing');
    const outside = specifiers.filter((entry) => !/: (\.\/[\w-]+|\.\.\/\.\.\/shared\/[\w-]+|zod\/mini)$/.test(entry));
    assert.deepEqual(outside, []);
  });
});
