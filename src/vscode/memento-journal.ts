// The engine's Journal on a VS Code Memento (context.workspaceState): submitted async jobs survive
// a window reload, and the next session resumes polling them. Writes are chained so that two tasks
// journalling at once cannot lose each other's entry in a read-modify-write race.
import type * as vscode from 'vscode';
import type { Journal, JournalEntry } from '../core/jobs/ports';

const KEY = 'imageStudio.journal';

/** An entry whose target is not two optional strings loses it: its job is then queried where the settings point. */
function withCheckedTarget(entry: JournalEntry): JournalEntry {
  const target: unknown = entry.target;
  if (target === undefined) return entry;
  const { endpoint, region } = (typeof target === 'object' && target !== null ? target : {}) as Record<string, unknown>;
  const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
  if (typeof target === 'object' && target !== null && optionalString(endpoint) && optionalString(region)) return entry;
  const { target: _dropped, ...rest } = entry;
  return rest;
}

/**
 * An entry whose workspace folder is not two strings loses it: its image is then saved without the
 * check that the folder is still open, as in entries written before the folder was journalled.
 */
function withCheckedWorkspaceFolder(entry: JournalEntry): JournalEntry {
  const folder: unknown = entry.workspaceFolder;
  if (folder === undefined) return entry;
  const { uri, name } = (typeof folder === 'object' && folder !== null ? folder : {}) as Record<string, unknown>;
  if (typeof uri === 'string' && typeof name === 'string') return entry;
  const { workspaceFolder: _dropped, ...rest } = entry;
  return rest;
}

export class MementoJournal implements Journal {
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly memento: vscode.Memento) {}

  async list(): Promise<readonly JournalEntry[]> {
    await this.writes;
    return this.read();
  }

  put(entry: JournalEntry): Promise<void> {
    return this.update((entries) => [...entries.filter((e) => e.taskId !== entry.taskId), entry]);
  }

  remove(taskId: string): Promise<void> {
    return this.update((entries) => entries.filter((e) => e.taskId !== taskId));
  }

  private read(): JournalEntry[] {
    const stored = this.memento.get<unknown>(KEY);
    // Anything else (an older shape, a hand-edited state) is dropped rather than resumed wrongly.
    const entries = Array.isArray(stored) ? stored.filter((e): e is JournalEntry => typeof e?.taskId === 'string' && typeof e?.jobId === 'string') : [];
    return entries.map((entry) => withCheckedWorkspaceFolder(withCheckedTarget(entry)));
  }

  private update(change: (entries: JournalEntry[]) => JournalEntry[]): Promise<void> {
    const next = this.writes.then(() => this.memento.update(KEY, change(this.read())));
    this.writes = next.then(undefined, () => undefined);
    return next;
  }
}
