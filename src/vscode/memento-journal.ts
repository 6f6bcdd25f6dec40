// The engine's Journal on a VS Code Memento (context.workspaceState): submitted async jobs survive
// a window reload, and the next session resumes polling them. Writes are chained so that two tasks
// journalling at once cannot lose each other's entry in a read-modify-write race.
import type * as vscode from 'vscode';
import type { Journal, JournalEntry } from '../core/jobs/ports';

const KEY = 'imageStudio.journal';

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
    return Array.isArray(stored) ? stored.filter((e): e is JournalEntry => typeof e?.taskId === 'string' && typeof e?.jobId === 'string') : [];
  }

  private update(change: (entries: JournalEntry[]) => JournalEntry[]): Promise<void> {
    const next = this.writes.then(() => this.memento.update(KEY, change(this.read())));
    this.writes = next.then(undefined, () => undefined);
    return next;
  }
}
