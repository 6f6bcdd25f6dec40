/**
 * The task model: one generation the user started, and the only legal ways its state may change.
 *
 *   queued -> submitting -> running -> downloading -> saved
 *                 |            |            |
 *                 +------------+------------+--> failed | cancelled   (queued -> cancelled too)
 *
 * Sync models skip `running` (submitting -> downloading): their one call is the whole job.
 * A task resumed from the journal after a reload starts in `running`: its job is already on the cloud.
 * Anything else throws, so a bug in the engine shows up at once instead of as a confusing panel.
 */
import type { Localized, StudioError } from '../tencent/errors';
import type { GenerationRequest, ModelId } from '../providers/types';
import type { SavedImage } from './ports';

export type TaskState = 'queued' | 'submitting' | 'running' | 'downloading' | 'saved' | 'failed' | 'cancelled';

const NEXT: Readonly<Record<TaskState, readonly TaskState[]>> = {
  queued: ['submitting', 'cancelled'],
  submitting: ['running', 'downloading', 'failed', 'cancelled'],
  running: ['downloading', 'failed', 'cancelled'],
  downloading: ['saved', 'failed', 'cancelled'],
  saved: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: TaskState, to: TaskState): boolean {
  return NEXT[from].includes(to);
}

export function isTerminal(state: TaskState): boolean {
  return NEXT[state].length === 0;
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly taskId: string,
    readonly from: TaskState,
    readonly to: TaskState,
  ) {
    super(`Task ${taskId}: illegal transition ${from} -> ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

/** What the cloud last said about the job while we poll it. */
export type CloudJobState = 'queued' | 'running';

/** Everything the UI needs to render one task. Plain data: safe to copy, compare and post. */
export interface TaskSnapshot {
  readonly id: string;
  readonly modelId: ModelId;
  readonly request: GenerationRequest;
  readonly directory: string;
  readonly state: TaskState;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When the task entered each state it has been in (epoch ms). */
  readonly timestamps: Readonly<Partial<Record<TaskState, number>>>;
  readonly jobId?: string;
  /** RequestId of the last call that answered (submit, then each query). */
  readonly requestId?: string;
  readonly cloudState?: CloudJobState;
  /** Status queries sent for this job so far. */
  readonly polls: number;
  /** Images to save and images saved so far, while downloading. */
  readonly progress?: { readonly saved: number; readonly total: number };
  readonly files: readonly SavedImage[];
  readonly revisedPrompt?: string;
  readonly seed?: number;
  readonly error?: StudioError;
  /** True when the task was cancelled after its request may have reached the cloud. */
  readonly mayStillBeBilled: boolean;
  /** A sentence for the user about something they should know (e.g. the billing caveat above). */
  readonly note?: Localized;
  /** True when the task was picked up again from the journal after a reload. */
  readonly resumed: boolean;
}

/** Fields the engine may change without a state transition (progress) or along with one. */
export type TaskPatch = Partial<
  Pick<
    TaskSnapshot,
    'jobId' | 'requestId' | 'cloudState' | 'polls' | 'progress' | 'files' | 'revisedPrompt' | 'seed' | 'error' | 'mayStillBeBilled' | 'note'
  >
>;

export interface TaskInit {
  readonly id: string;
  readonly request: GenerationRequest;
  readonly directory: string;
  readonly now: number;
  /** Set for a task resumed from the journal: it starts `running` with its job id known. */
  readonly resumed?: { readonly jobId: string; readonly requestId: string; readonly submittedAt: number };
}

/** One task's mutable state, owned by the engine. Outsiders only ever see snapshots. */
export class TaskMachine {
  private current: TaskSnapshot;

  constructor(init: TaskInit) {
    const state: TaskState = init.resumed ? 'running' : 'queued';
    const createdAt = init.resumed?.submittedAt ?? init.now;
    this.current = Object.freeze({
      id: init.id,
      modelId: init.request.modelId,
      request: init.request,
      directory: init.directory,
      state,
      createdAt,
      updatedAt: init.now,
      timestamps: Object.freeze({ [state]: init.now }),
      jobId: init.resumed?.jobId,
      requestId: init.resumed?.requestId,
      polls: 0,
      files: Object.freeze([]),
      mayStillBeBilled: false,
      resumed: init.resumed !== undefined,
    });
  }

  get id(): string {
    return this.current.id;
  }

  get state(): TaskState {
    return this.current.state;
  }

  get terminal(): boolean {
    return isTerminal(this.current.state);
  }

  snapshot(): TaskSnapshot {
    return this.current;
  }

  /** Moves to `to`; throws IllegalTransitionError when the state machine does not allow it. */
  transition(to: TaskState, now: number, patch: TaskPatch = {}): TaskSnapshot {
    const from = this.current.state;
    if (!canTransition(from, to)) throw new IllegalTransitionError(this.current.id, from, to);
    this.current = Object.freeze({
      ...this.current,
      ...patch,
      state: to,
      updatedAt: now,
      timestamps: Object.freeze({ ...this.current.timestamps, [to]: now }),
    });
    return this.current;
  }

  /** Progress within the current state. Refused once the task is finished: a finished task never changes. */
  update(now: number, patch: TaskPatch): TaskSnapshot {
    if (this.terminal) throw new IllegalTransitionError(this.current.id, this.current.state, this.current.state);
    this.current = Object.freeze({ ...this.current, ...patch, updatedAt: now });
    return this.current;
  }
}
