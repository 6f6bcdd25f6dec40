/**
 * Learns how long a model's jobs take, so the poller can place a few queries where the next job is
 * likely to finish.
 *
 * Why: the base schedule (poller.ts) notices a finished job within max(0.5 s, 10 %) of its run
 * time. With a pool of one, that delay is paid once per job, serially: 60 one-second jobs would
 * take 90 s instead of 60. Jobs of one model and size take similar times, so after the first job
 * we know roughly when the next one ends and can look just then.
 *
 * Each finished job tells us a bracket: it was still pending at its last "pending" query and done at
 * its first "done" query. We keep a smoothed bracket (each end moves halfway toward the new
 * observation) and spread four probes across it. A steady job length narrows the bracket by about
 * a third per job, down to the probe step; a drifting one widens it again, so probes follow.
 */
export const PROBE_MIN_STEP_MS = 40;
/** The finest probe spacing as a fraction of the job length (a 10 s job: 200 ms). */
export const PROBE_STEP_FRACTION = 0.02;
const PROBES = 4;
const SMOOTHING = 0.5;

/** Where jobs of one kind were last seen pending and first seen done, ms after submit. */
export interface DurationWindow {
  readonly pendingUntil: number;
  readonly doneBy: number;
}

export interface PollBracket {
  /** ms after submit of the last query that found the job pending, if any. */
  readonly lastPendingAt?: number;
  /** ms after submit of the query that found it finished. */
  readonly finishedAt: number;
}

export class JobDurationEstimator {
  private readonly windows = new Map<string, DurationWindow>();

  /** Undefined until a job of this kind has finished. */
  expected(key: string): DurationWindow | undefined {
    return this.windows.get(key);
  }

  record(key: string, bracket: PollBracket): void {
    const observed = { pendingUntil: bracket.lastPendingAt ?? 0, doneBy: bracket.finishedAt };
    const previous = this.windows.get(key);
    const smooth = (from: number, to: number): number => from + SMOOTHING * (to - from);
    this.windows.set(
      key,
      previous === undefined
        ? observed
        : { pendingUntil: smooth(previous.pendingUntil, observed.pendingUntil), doneBy: smooth(previous.doneBy, observed.doneBy) },
    );
  }
}

/** Probe times (ms after submit) spread across the window, never closer than the finest step. */
export function probeTimes(window: DurationWindow): number[] {
  const middle = (window.pendingUntil + window.doneBy) / 2;
  const finest = Math.max(PROBE_MIN_STEP_MS, PROBE_STEP_FRACTION * middle);
  const half = Math.max((window.doneBy - window.pendingUntil) / 2, (PROBES / 2) * finest);
  const step = (2 * half) / PROBES;
  return Array.from({ length: PROBES }, (_, i) => middle - half + (i + 1) * step).filter((t) => t > 0);
}
