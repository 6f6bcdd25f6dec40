/**
 * The status-bar item: `$(sparkle) 2` while tasks are in progress (queued up to downloading), hidden
 * when none is; a click opens the task panel (imageStudio.showTasks).
 */
import * as vscode from 'vscode';
import type { GenerationEngine } from '../core/jobs/engine';
import { isTerminal } from '../core/jobs/task';

export class TaskStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly unsubscribe: () => void;

  constructor(private readonly engine: Pick<GenerationEngine, 'list' | 'subscribe'>) {
    this.item = vscode.window.createStatusBarItem('imageStudio.tasks', vscode.StatusBarAlignment.Left, 100);
    this.item.name = vscode.l10n.t('AIGC Image Studio Tasks');
    this.item.command = 'imageStudio.showTasks';
    this.unsubscribe = engine.subscribe(() => this.update());
    this.update();
  }

  /** Tasks not yet saved, failed or cancelled. */
  get activeCount(): number {
    return this.engine.list().filter((task) => !isTerminal(task.state)).length;
  }

  dispose(): void {
    this.unsubscribe();
    this.item.dispose();
  }

  private update(): void {
    const count = this.activeCount;
    if (count === 0) {
      this.item.hide();
      return;
    }
    const summary = count === 1 ? vscode.l10n.t('1 image task in progress') : vscode.l10n.t('{0} image tasks in progress', count);
    this.item.text = `$(sparkle) ${count}`;
    this.item.tooltip = vscode.l10n.t('{0}. Click to show the tasks.', summary);
    this.item.accessibilityInformation = { label: summary, role: 'button' };
    this.item.show();
  }
}
