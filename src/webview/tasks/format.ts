// Pure helpers of the task panel page (no DOM), so unit tests can run them in Node.
import type { CodiconName } from '../../shared/codicons';
import type { TaskActionName, TaskView } from '../../shared/protocol';

/** Elapsed time as `m:ss`, or `h:mm:ss` from an hour on: the same in every language. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Codicon per state: a glance tells the state, the word beside it says it (design.md). */
export const STATE_ICONS = {
  queued: 'clock',
  submitting: 'cloud-upload',
  running: 'loading',
  downloading: 'cloud-download',
  saved: 'pass-filled',
  failed: 'error',
  cancelled: 'circle-slash',
} as const satisfies Record<TaskView['state'], CodiconName>;

export const ACTION_ICONS = {
  open: 'go-to-file',
  revealInExplorer: 'folder-opened',
  insertMarkdownLink: 'markdown',
  copyPath: 'copy',
  regenerate: 'refresh',
  useAsReference: 'color-mode',
  cancel: 'stop-circle',
} as const satisfies Record<TaskActionName, CodiconName>;
