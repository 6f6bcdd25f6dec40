// The journal on a Memento: what a later session reads back. The Memento here is a Map with
// VS Code's Memento interface (get, update, keys): workspaceState is exactly such a key-value store.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { JournalEntry } from '../../src/core/jobs/ports';
import { MementoJournal } from '../../src/vscode/memento-journal';

class MapMemento implements vscode.Memento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (structuredClone(this.values.get(key)) as T) : fallback;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, structuredClone(value));
  }
}

const entry = (taskId: string, extra: Partial<JournalEntry> = {}): JournalEntry => ({
  taskId,
  modelId: 'hunyuan-image-job',
  jobId: `job-${taskId}`,
  request: { modelId: 'hunyuan-image-job', prompt: 'a lighthouse' },
  directory: '/w/assets/generated',
  submittedAt: 1_700_000_000_000,
  requestId: `req-${taskId}`,
  ...extra,
});

describe('MementoJournal', () => {
  it('keeps where each job was submitted across sessions, and keeps concurrent writes', async () => {
    const memento = new MapMemento();
    const first = new MementoJournal(memento);
    await Promise.all([first.put(entry('a', { target: { endpoint: 'http://127.0.0.1:9000', region: 'ap-shanghai' } })), first.put(entry('b'))]);
    const later = new MementoJournal(memento);
    assert.deepEqual(
      (await later.list()).map((e) => [e.taskId, e.target]),
      [
        ['a', { endpoint: 'http://127.0.0.1:9000', region: 'ap-shanghai' }],
        ['b', undefined],
      ],
    );
  });

  it('keeps the workspace folder of each job across sessions, and drops one that is not two strings (the image is then saved unchecked, as before it was journalled)', async () => {
    const memento = new MapMemento();
    const folder = { uri: 'file:///work/sketches', name: 'sketches' };
    await new MementoJournal(memento).put(entry('kept', { workspaceFolder: folder }));
    await new MementoJournal(memento).put(entry('odd', { workspaceFolder: { uri: 'file:///work/odd', name: 7 } as never }));
    await new MementoJournal(memento).put(entry('none'));
    const entries = await new MementoJournal(memento).list();
    assert.deepEqual(
      entries.map((e) => [e.taskId, 'workspaceFolder' in e ? e.workspaceFolder : 'none']),
      [
        ['kept', folder],
        ['odd', 'none'],
        ['none', 'none'],
      ],
    );
  });

  it('drops entries of another shape, and a target that is not two optional strings (the job is then queried where the settings point)', async () => {
    const memento = new MapMemento();
    await memento.update('imageStudio.journal', [
      { taskId: 7, jobId: 'not-a-task' },
      entry('odd-target', { target: { endpoint: 42 } as never }),
      entry('null-target', { target: null as never }),
      entry('fine', { target: { region: 'ap-guangzhou' } }),
    ]);
    const entries = await new MementoJournal(memento).list();
    assert.deepEqual(
      entries.map((e) => [e.taskId, 'target' in e ? e.target : 'none']),
      [
        ['odd-target', 'none'],
        ['null-target', 'none'],
        ['fine', { region: 'ap-guangzhou' }],
      ],
    );
  });
});
