// The engine's Journal on a VS Code Memento (context.workspaceState): submitted async jobs survive
// a window reload, and the next session resumes polling them. Writes are chained so that two tasks
// journalling at once cannot lose each other's entry in a read-modify-write race.
import type * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { Journal, JournalEntry } from '../core/jobs/ports';

const KEY = 'imageStudio.journal';

/**
 * The optional parts of an entry, each checked when read back: a part of another shape is dropped,
 * and its job resumes as an entry written before that part existed.
 */
const OPTIONAL_PARTS = {
  /** Where the job was submitted. Without it, the job is queried where the settings point. */
  target: z.object({ endpoint: z.optional(z.string()), region: z.optional(z.string()) }),
  /** The task's workspace folder. Without it, the image is saved without the check that the folder is still open. */
  workspaceFolder: z.object({ uri: z.string(), name: z.string() }),
};

function withCheckedParts(entry: JournalEntry): JournalEntry {
  let checked = entry;
  for (const key of Object.keys(OPTIONAL_PARTS) as (keyof typeof OPTIONAL_PARTS)[]) {
    if (checked[key] === undefined || OPTIONAL_PARTS[key].safeParse(checked[key]).success) continue;
    const { [key]: _dropped, ...rest } = checked;
    checked = rest;
  }
  return checked;
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
    return entries.map(withCheckedParts);
  }

  private update(change: (entries: JournalEntry[]) => JournalEntry[]): Promise<void> {
    const next = this.writes.then(() => this.memento.update(KEY, change(this.read())));
    this.writes = next.then(undefined, () => undefined);
    return next;
  }
}
