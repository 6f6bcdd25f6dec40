// The task list and the pools: cancelling a queued task sends nothing, and concurrency never
// exceeds the pool the cloud allows.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GenerateOutcome } from '../../src/vscode/commands/generation';
import type { TaskSummary } from '../../src/vscode/studio';
import { useFakeCloud } from './support/cloud';
import { waitFor } from './support/wait';
import { closeAllEditors, listFiles, removeAll } from './support/workspace';

const OUTPUT = 'assets/generated';

function generate(prompt: string): Thenable<GenerateOutcome> {
  return vscode.commands.executeCommand<GenerateOutcome>('imageStudio.generate', prompt);
}

function showTasks(): Thenable<TaskSummary[]> {
  return vscode.commands.executeCommand<TaskSummary[]>('imageStudio.showTasks');
}

describe('tasks: cancel a queued task', () => {
  // The hunyuan job pool is 1 (the documented default): the second task waits in the queue.
  // Jobs long enough that a busy machine still sees both states before the first one ends.
  const fake = useFakeCloud({ jobSeconds: 6, settings: { model: 'hunyuan-image-job', concurrency: { 'hunyuan-image-job': 1 } } });

  before(async () => {
    await closeAllEditors();
    await removeAll(OUTPUT);
  });

  it('lists one running and one queued task; cancelling the queued one sends nothing for it', async () => {
    const first = generate('first of two, a harbour at dusk');
    const second = generate('second of two, a harbour at dawn');

    const tasks = await waitFor('one running and one queued task', async () => {
      const list = await showTasks();
      const running = list.find((task) => task.prompt === 'first of two, a harbour at dusk' && task.state === 'running');
      const queued = list.find((task) => task.prompt === 'second of two, a harbour at dawn' && task.state === 'queued');
      return running && queued && { running, queued };
    });
    assert.equal(tasks.queued.modelId, 'hunyuan-image-job');

    assert.equal(await vscode.commands.executeCommand('imageStudio.cancelTask', tasks.queued.id), true);
    const cancelled = await second;
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.taskId, tasks.queued.id);
    assert.deepEqual(cancelled.files, []);

    const finished = await first;
    assert.equal(finished.state, 'saved');
    assert.equal(fake.cloud.stats().submits.SubmitHunyuanImageJob, 1, 'exactly one submit reached the cloud');
    assert.deepEqual(await listFiles(OUTPUT), finished.files.map((file) => file.slice(OUTPUT.length + 1)));
    // A finished task cannot be cancelled any more.
    assert.equal(await vscode.commands.executeCommand('imageStudio.cancelTask', tasks.running.id), false);
  });
});

describe('tasks: concurrency stays within the pool', () => {
  // TextToImageLite (sync) has a documented pool of 3; the simulator refuses a fourth call at once.
  const fake = useFakeCloud({ jobSeconds: 1, settings: { model: 'hunyuan-text-to-image-lite', resolution: '768:768' } });

  before(async () => {
    await closeAllEditors();
    await removeAll(OUTPUT);
  });

  it('runs four tasks three at a time with no limit error from the cloud', async () => {
    const outcomes = await Promise.all([1, 2, 3, 4].map((n) => generate(`lighthouse number ${n}`)));

    assert.deepEqual(outcomes.map((outcome) => outcome.state), ['saved', 'saved', 'saved', 'saved']);
    const stats = fake.cloud.stats();
    assert.equal(stats.limitErrors, 0, 'the cloud reported no concurrency or rate-limit error');
    assert.equal(stats.maxRunning['hunyuan-text-to-image-lite'], 3, 'three ran at once (never more)');
    assert.equal(stats.submits.TextToImageLite, 4);
    assert.equal((await listFiles(OUTPUT)).length, 4);
  });
});
