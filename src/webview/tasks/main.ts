/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="dom.asynciterable" />
/**
 * The task panel page (bundled into media/tasks.js; runs under a CSP that allows this script by
 * nonce and nothing inline; boot.ts prepares for that first). It validates every host message,
 * renders the list, sends the user's clicks as `action` messages, and keeps the last list in the
 * webview state: a page shown again or reloaded repaints from it at once, and after a window
 * reload VS Code hands it to the host's serializer, which rebuilds the finished tasks of the
 * previous session from it.
 */
import { vscode } from './boot';
import {
  describeIssues,
  HostMessageSchema,
  type PanelState,
  PanelStateSchema,
  type PanelStrings,
  type TaskView,
  type WebviewMessage,
} from '../../shared/protocol';
import { TaskList } from './render';

const post = (message: WebviewMessage): void => vscode.postMessage(message);

const app = document.getElementById('app');
if (!app) throw new Error('the task panel page has no #app element');
const list = new TaskList(app, (action, taskId, file) => post({ type: 'action', action, taskId, ...(file !== undefined && { file }) }));

let current: { language: string; strings: PanelStrings; tasks: TaskView[] } | undefined;

function show(language: string, strings: PanelStrings, tasks: TaskView[], hostNow: number): void {
  document.documentElement.lang = language;
  list.render(strings, tasks, hostNow);
  current = { language, strings, tasks };
  const state: PanelState = { version: 1, ...current };
  vscode.setState(state);
}

// Repaint what was shown before (panel shown again, or a reload) while the host answers `ready`.
const saved = PanelStateSchema.safeParse(vscode.getState());
if (saved.success) show(saved.data.language, saved.data.strings, saved.data.tasks, Date.now());

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    post({ type: 'droppedHostMessage', issues: describeIssues(parsed.error).slice(0, 2_000) });
    return;
  }
  const message = parsed.data;
  switch (message.type) {
    case 'init':
      show(message.language, message.strings, message.tasks, message.hostNow);
      return;
    case 'tasks':
      // Before `init` there are no words to render with; `init` carries the list anyway.
      if (current) show(current.language, current.strings, message.tasks, message.hostNow);
      return;
    case 'reportRows':
      post({ type: 'rows', requestId: message.requestId, rows: list.rows() });
      return;
    case 'echo':
      vscode.postMessage(message.payload);
      post({ type: 'echoed', requestId: message.requestId });
      return;
  }
});

post({ type: 'ready' });
