/**
 * A Journal kept in memory: for tests, and for running the engine where nothing survives a reload
 * anyway. The extension's journal is a VS Code Memento behind the same interface (src/vscode).
 */
import type { Journal, JournalEntry } from './ports';

export class MemoryJournal implements Journal {
  private readonly entries = new Map<string, JournalEntry>();

  /** Entries in the order they were first written. */
  async list(): Promise<readonly JournalEntry[]> {
    return [...this.entries.values()];
  }

  /** Writes or replaces the entry of `entry.taskId`. */
  async put(entry: JournalEntry): Promise<void> {
    this.entries.set(entry.taskId, Object.freeze({ ...entry, request: Object.freeze({ ...entry.request }) }));
  }

  async remove(taskId: string): Promise<void> {
    this.entries.delete(taskId);
  }
}
