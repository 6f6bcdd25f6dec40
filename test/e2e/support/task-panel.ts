// The task panel (webview panel imageStudio.tasks) as the browser shows it: one card per task with
// its state in words, its prompt, its images and, for a failure, the explanation and next step.
import type { Page } from 'playwright-core';
import { waitFor } from '../../integration/support/wait';
import { webviewFrame } from './ui';

export interface TaskCard {
  readonly prompt: string;
  /** The state word the card shows (Queued, Submitting, Running, Downloading, Saved, Failed, …). */
  readonly stateLabel: string;
  /** Images shown and fully decoded. */
  readonly imagesLoaded: number;
  /** The error callout: explanation, then next step; '' when none. */
  readonly errorText: string;
}

const TASK_LIST = 'ul.tasks';

/** The cards as the panel's page renders them now, newest first. */
export async function taskCards(page: Page): Promise<TaskCard[]> {
  const frame = await webviewFrame(page, TASK_LIST);
  return frame.locator(`${TASK_LIST} > li.task`).evaluateAll((nodes) =>
    nodes.map((node) => ({
      prompt: node.querySelector('.task__prompt')?.textContent ?? '',
      stateLabel: node.querySelector('.state__label')?.textContent ?? '',
      imagesLoaded: [...node.querySelectorAll('img')].filter((img) => img.complete && img.naturalWidth > 0).length,
      errorText: [...node.querySelectorAll('.callout--error p')].map((p) => p.textContent ?? '').join('\n'),
    })),
  );
}

/** Waits until the card of `prompt` satisfies `accept`; resolves with it. */
export function waitForCard(page: Page, prompt: string, what: string, accept: (card: TaskCard) => boolean, timeoutMs = 60_000): Promise<TaskCard> {
  return waitFor(
    `the task panel to show "${prompt}" ${what}`,
    async () => (await taskCards(page)).find((card) => card.prompt === prompt && accept(card)),
    { timeoutMs, intervalMs: 100 },
  );
}

/**
 * Watches the panel while a task runs and keeps, per prompt, the state words in the order they were
 * seen (each word once per run of it). The panel coalesces events over 50 ms, so a state shorter
 * than that may be skipped by the panel itself; 50 ms polling sees every state it shows for longer.
 */
export class StateRecorder {
  private readonly seen = new Map<string, string[]>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly page: Page) {
    this.loop = this.poll();
  }

  /** Stops watching; resolves with the words seen per prompt. */
  async stop(): Promise<ReadonlyMap<string, readonly string[]>> {
    this.running = false;
    await this.loop;
    return this.seen;
  }

  private async poll(): Promise<void> {
    // One more round after stop() was asked for: the state the caller just waited for (Saved) is
    // then recorded even when it appeared between two rounds.
    for (;;) {
      const last = !this.running;
      try {
        for (const card of await taskCards(this.page)) {
          const words = this.seen.get(card.prompt) ?? [];
          if (words[words.length - 1] !== card.stateLabel) words.push(card.stateLabel);
          this.seen.set(card.prompt, words);
        }
      } catch {
        // The page is being rebuilt; the next round sees it again.
      }
      if (last) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
