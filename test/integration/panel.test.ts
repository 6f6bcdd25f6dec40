// The task panel in the real extension host: a real webview page (the built media/tasks.js under
// its real CSP), a real engine against the simulated cloud, real files in the test workspace.
// The panel is built here directly (not through the commands) so each assertion is about the panel
// itself: what the page renders, what it refuses, and what it asks the host to do.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createStudioEngine, type StudioEngine } from './support/engine';
import { MemoryJournal } from '../../src/core/jobs/journal';
import type { TaskSnapshot } from '../../src/core/jobs/task';
import type { PanelState } from '../../src/shared/protocol';
import { PANEL_STRING_KEYS } from '../../src/shared/protocol';
import { TaskStatusBar } from '../../src/vscode/status-bar';
import { type PanelLog, type TaskActions, TaskPanel } from '../../src/vscode/task-panel';
import { toTaskView } from '../../src/vscode/task-view';
import packageJson from '../../package.json';
import { TEST_CREDENTIALS, useFakeCloud } from './support/cloud';
import { canTakeScreenshots, takeScreenshot } from './support/screenshot';
import { waitFor } from './support/wait';
import { workspaceUri } from './support/workspace';

const OUTPUT = 'assets/generated';
const HOSTILE_PROMPT = '<img src=x onerror="document.title=\'pwned\'"></script><script>parent.postMessage("pwned","*")</script> & "quotes"';

/** A log that keeps its lines, so tests can assert on what the panel reported. */
class LinesLog implements PanelLog {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

/** TaskActions that record what the page asked for; cancel really cancels (the engine's honest cancel). */
class RecordingActions implements TaskActions {
  readonly calls: string[] = [];
  constructor(private readonly engine: () => StudioEngine) {}
  private record(name: string, taskId: string, file?: string): Promise<void> {
    this.calls.push([name, taskId, file].filter((part) => part !== undefined).join(' '));
    return Promise.resolve();
  }
  open = (taskId: string, file?: string) => this.record('open', taskId, file);
  revealInExplorer = (taskId: string, file?: string) => this.record('revealInExplorer', taskId, file);
  insertMarkdownLink = (taskId: string, file?: string) => this.record('insertMarkdownLink', taskId, file);
  copyPath = (taskId: string, file?: string) => this.record('copyPath', taskId, file);
  regenerate = (taskId: string) => this.record('regenerate', taskId);
  useAsReference = (taskId: string, file?: string) => this.record('useAsReference', taskId, file);
  cancel = async (taskId: string) => {
    await this.record('cancel', taskId);
    this.engine().engine.cancel(taskId);
  };
}

function extensionUri(): vscode.Uri {
  const extension = vscode.extensions.getExtension(`${packageJson.publisher}.${packageJson.name}`);
  assert.ok(extension, 'the extension under test is not installed');
  return extension.extensionUri;
}

describe('task panel', () => {
  const fake = useFakeCloud({ jobSeconds: 0.5 });
  let studio: StudioEngine;
  let panel: TaskPanel;
  let statusBar: TaskStatusBar;
  let log: LinesLog;
  let actions: RecordingActions;

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    studio = createStudioEngine({ credentials: () => TEST_CREDENTIALS, journal: new MemoryJournal(), endpoint: fake.url });
    log = new LinesLog();
    actions = new RecordingActions(() => studio);
    panel = new TaskPanel({
      extensionUri: extensionUri(),
      engine: studio.engine,
      actions,
      log,
      localResourceRoots: () => [workspaceUri(OUTPUT)],
    });
    statusBar = new TaskStatusBar(studio.engine);
  });

  // Each test can run alone (--grep): the panel is open and its page ready before it starts.
  beforeEach(async () => {
    panel.reveal(true);
    await panel.whenReady();
  });

  after(async () => {
    statusBar?.dispose();
    panel?.dispose();
    await studio?.dispose();
  });

  function start(prompt: string, options: { count?: number; style?: string } = {}): { id: string; settled: Promise<TaskSnapshot> } {
    return studio.engine.start({ modelId: 'hunyuan-image-job', prompt, ...options }, { directory: workspaceUri(OUTPUT).fsPath });
  }

  async function rowOf(taskId: string, until: (row: { state: string; hasImage: boolean }) => boolean, what: string) {
    return waitFor(what, async () => (await panel.renderedRows()).find((row) => row.taskId === taskId && until(row)), { timeoutMs: 30_000, intervalMs: 150 });
  }

  it('shows no rows (its empty state) before any task', async () => {
    assert.deepEqual(await panel.renderedRows(), []);
  });

  it('shows a failure (a moderation refusal) in its row', async () => {
    fake.cloud.setFaults(['moderation-text']);
    try {
      const task = start('a prompt the simulated review refuses');
      const settled = await task.settled;
      assert.equal(settled.state, 'failed');
      assert.equal(settled.error?.code, 'OperationDenied.TextIllegalDetected');
      await rowOf(task.id, (r) => r.state === 'failed' && !r.hasImage, 'the refused task to render as Failed');
    } finally {
      fake.cloud.setFaults([]);
    }
  });

  it('shows a task going to Saved with its image preview, newest first; the status bar counts it while it runs', async () => {
    const older = start('A lighthouse on a cliff at dawn, watercolor', { count: 2, style: 'shuimo' });
    const task = start('一只在月光下读书的猫，水墨画风格');
    assert.equal(statusBar.activeCount, 2);
    const row = await rowOf(task.id, (r) => r.state === 'saved' && r.hasImage, 'the new task to render as Saved with a loaded preview');
    assert.equal(row.prompt, '一只在月光下读书的猫，水墨画风格');
    await older.settled;
    await rowOf(older.id, (r) => r.state === 'saved' && r.hasImage, 'the older task to render as Saved');
    const rows = await panel.renderedRows();
    assert.deepEqual(
      rows.slice(0, 2).map((r) => r.taskId),
      [task.id, older.id],
      'newest first',
    );
    assert.equal(statusBar.activeCount, 0);
  });

  it('takes a screenshot of the panel with finished images', async function () {
    if (!canTakeScreenshots()) this.skip();
    // A calm screen: the panel alone, with the finished tasks of the tests above.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    panel.reveal();
    await panel.whenReady();
    await waitFor('every preview to load', async () => (await panel.renderedRows()).filter((r) => r.state === 'saved').every((r) => r.hasImage));
    const file = await takeScreenshot('task-panel');
    assert.ok(file.endsWith('task-panel.png'));
  });

  it('renders a hostile prompt as literal text: nothing in it runs or loads', async () => {
    const task = start(HOSTILE_PROMPT);
    const row = await rowOf(task.id, (r) => r.state === 'saved', 'the hostile-prompt task to render as Saved');
    assert.equal(row.prompt, HOSTILE_PROMPT, 'the prompt element holds exactly the raw string as text');
    // Parsed as HTML, the <img src=x onerror=...> would have tripped the CSP, which the page reports.
    assert.deepEqual(
      log.lines.filter((line) => line.includes('Content Security Policy')),
      [],
    );
  });

  it('passes a valid action from the page to TaskActions, and refuses a file that is not the task’s', async () => {
    const [saved] = studio.engine.list().filter((task) => task.state === 'saved');
    assert.ok(saved, 'an earlier test saved a task');
    const file = saved.files[0]!.path;
    await panel.echoThroughWebview({ type: 'action', action: 'open', taskId: saved.id, file });
    await waitFor('the open action to reach TaskActions', () => actions.calls.includes(`open ${saved.id} ${file}`));
    await panel.echoThroughWebview({ type: 'action', action: 'copyPath', taskId: saved.id, file: '/etc/passwd' });
    await panel.echoThroughWebview({ type: 'action', action: 'cancel', taskId: saved.id });
    await panel.echoThroughWebview({ type: 'action', action: 'open', taskId: 'no-such-task' });
    assert.deepEqual(actions.calls, [`open ${saved.id} ${file}`]);
    assert.equal(log.lines.filter((line) => line.includes('refused')).length, 3, log.lines.join('\n'));
  });

  it('drops and logs an invalid message from the page', async () => {
    const before = panel.droppedMessages;
    const callsBefore = actions.calls.length;
    await panel.echoThroughWebview({ type: 'action', action: 'deleteEverything', taskId: '../../etc' });
    await panel.echoThroughWebview({ type: 'rows', requestId: 'not-a-number', rows: 'all of them' });
    assert.equal(panel.droppedMessages, before + 2);
    assert.equal(actions.calls.length, callsBefore);
    assert.equal(log.lines.filter((line) => line.startsWith('warn Task panel: dropped an invalid message from the webview')).length, 2);
  });

  it('cancels a queued task from the page: it is removed from the queue and nothing is sent', async () => {
    // The hunyuan pool holds one job (the catalog's and the simulator's default), so the second task
    // queues; slow replies keep the first one in the slot until the cancel has happened.
    fake.cloud.setFaults(['latency=1500']);
    try {
      const submitsBefore = fake.cloud.stats().submits.SubmitHunyuanImageJob ?? 0;
      const running = start('the job that holds the only slot');
      const queued = start('the job that waits');
      await rowOf(queued.id, (r) => r.state === 'queued', 'the second task to render as Queued');
      await panel.echoThroughWebview({ type: 'action', action: 'cancel', taskId: queued.id });
      const settled = await queued.settled;
      assert.equal(settled.state, 'cancelled');
      assert.equal(settled.timestamps.submitting, undefined, 'the cancelled task never reached submitting');
      assert.equal(settled.mayStillBeBilled, false);
      await rowOf(queued.id, (r) => r.state === 'cancelled', 'the cancelled task to render as Cancelled');
      await running.settled;
      assert.equal((fake.cloud.stats().submits.SubmitHunyuanImageJob ?? 0) - submitsBefore, 1, 'only the running task was submitted');
    } finally {
      fake.cloud.setFaults([]);
    }
  });

  it('after a window reload, rebuilds the finished tasks of the previous session from the saved page state', async () => {
    const [saved] = studio.engine.list().filter((task) => task.state === 'saved');
    assert.ok(saved);
    // What the page had stored with setState, as VS Code hands it to the serializer.
    const strings = Object.fromEntries(PANEL_STRING_KEYS.map((key) => [key, key])) as PanelState['strings'];
    const view = toTaskView(saved, {
      language: 'en',
      text: {
        states: { queued: 'Queued', submitting: 'Submitting', running: 'Running', downloading: 'Downloading', saved: 'Saved', failed: 'Failed', cancelled: 'Cancelled' },
        savingImage: () => '',
        cloudQueued: '',
        interrupted: '',
      },
      previewSrc: () => 'https://stale.example/old-uri',
    });
    const outside = { ...view, id: 'outside', images: [{ file: '/etc/hostname', src: 'https://stale.example/x', name: 'hostname' }] };
    const state: PanelState = { version: 1, language: 'en', strings, tasks: [view, outside] };

    // A new session: a new engine that knows nothing of those tasks, and a panel VS Code restored.
    const nextStudio = createStudioEngine({ credentials: () => TEST_CREDENTIALS, journal: new MemoryJournal(), endpoint: fake.url });
    const nextPanel = new TaskPanel({ extensionUri: extensionUri(), engine: nextStudio.engine, actions, log, localResourceRoots: () => [workspaceUri(OUTPUT)] });
    try {
      const restoredWebview = vscode.window.createWebviewPanel('imageStudio.tasks', 'restored', vscode.ViewColumn.Beside, { enableScripts: true });
      await nextPanel.restore(restoredWebview, JSON.parse(JSON.stringify(state)));
      await nextPanel.whenReady();
      const rows = await waitFor('the restored preview to load', async () => {
        const current = await nextPanel.renderedRows();
        return current.find((row) => row.taskId === saved.id)?.hasImage && current;
      });
      assert.deepEqual(
        rows.map((row) => [row.taskId, row.state, row.hasImage]),
        [
          [saved.id, 'saved', true],
          ['outside', 'saved', false],
        ],
      );
      // A file outside the output folders, named by the saved state, is not something the host acts on.
      await nextPanel.echoThroughWebview({ type: 'action', action: 'open', taskId: 'outside', file: '/etc/hostname' });
      assert.ok(!actions.calls.some((call) => call.includes('/etc/hostname')));
    } finally {
      nextPanel.dispose();
      await nextStudio.dispose();
    }
  });
});
