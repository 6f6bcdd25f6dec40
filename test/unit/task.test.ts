import * as assert from 'node:assert/strict';
import { canTransition, IllegalTransitionError, isTerminal, TaskMachine, type TaskState } from '../../src/core/jobs/task';
import type { GenerationRequest } from '../../src/core/providers/types';

const request: GenerationRequest = { modelId: 'hunyuan-image-job', prompt: 'a red fox in snow' };

function newTask(now = 1000): TaskMachine {
  return new TaskMachine({ id: 't1', request, directory: '/out', now });
}

describe('task state machine', () => {
  it('walks the job path queued -> submitting -> running -> downloading -> saved, stamping each state', () => {
    const task = newTask(1000);
    task.transition('submitting', 1100);
    task.transition('running', 1200, { jobId: 'job-1', requestId: 'req-1' });
    task.transition('downloading', 1300);
    const done = task.transition('saved', 1400);
    assert.equal(done.state, 'saved');
    assert.equal(done.jobId, 'job-1');
    assert.deepEqual(done.timestamps, { queued: 1000, submitting: 1100, running: 1200, downloading: 1300, saved: 1400 });
    assert.equal(done.createdAt, 1000);
    assert.equal(done.updatedAt, 1400);
    assert.ok(task.terminal);
  });

  it('lets a sync model go from submitting straight to downloading', () => {
    const task = newTask();
    task.transition('submitting', 1);
    assert.equal(task.transition('downloading', 2).state, 'downloading');
  });

  it('throws on every transition the state machine does not list', () => {
    const task = newTask();
    assert.throws(() => task.transition('running', 2), IllegalTransitionError);
    assert.throws(() => task.transition('saved', 2), IllegalTransitionError);
    assert.throws(() => task.transition('failed', 2), IllegalTransitionError);
    assert.equal(task.state, 'queued', 'a refused transition changes nothing');
  });

  it('never leaves a terminal state, not even for progress', () => {
    for (const end of ['saved', 'failed', 'cancelled'] as const) {
      assert.ok(isTerminal(end));
      const all: TaskState[] = ['queued', 'submitting', 'running', 'downloading', 'saved', 'failed', 'cancelled'];
      assert.deepEqual(all.filter((to) => canTransition(end, to)), []);
    }
    const task = newTask();
    task.transition('cancelled', 5);
    assert.throws(() => task.transition('submitting', 6), /cancelled -> submitting/);
    assert.throws(() => task.update(6, { polls: 1 }), IllegalTransitionError);
  });

  it('can be cancelled from every unfinished state', () => {
    for (const path of [[], ['submitting'], ['submitting', 'running'], ['submitting', 'running', 'downloading']] as TaskState[][]) {
      const task = newTask();
      path.forEach((state, i) => task.transition(state, i + 2));
      assert.equal(task.transition('cancelled', 10).state, 'cancelled', `from ${task.snapshot().timestamps}`);
    }
  });

  it('hands out frozen snapshots that later changes do not touch', () => {
    const task = newTask();
    const before = task.snapshot();
    task.transition('submitting', 2);
    task.update(3, { polls: 4 });
    assert.equal(before.state, 'queued');
    assert.equal(before.polls, 0);
    assert.ok(Object.isFrozen(before));
    assert.equal(task.snapshot().polls, 4);
  });

  it('starts a task resumed from the journal in running, with its job id and submit time', () => {
    const task = new TaskMachine({ id: 't2', request, directory: '/out', now: 9000, resumed: { jobId: 'job-9', requestId: 'req-9', submittedAt: 5000 } });
    const snap = task.snapshot();
    assert.equal(snap.state, 'running');
    assert.equal(snap.jobId, 'job-9');
    assert.equal(snap.createdAt, 5000);
    assert.equal(snap.resumed, true);
    assert.throws(() => task.transition('submitting', 9001), IllegalTransitionError);
  });
});
