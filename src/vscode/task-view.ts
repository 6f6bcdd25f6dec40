/**
 * TaskSnapshot (the engine's) -> TaskView (the panel's): plain, localised, serialisable data.
 *
 * Pure on purpose: it imports no 'vscode' at run time, so unit tests check the mapping in plain
 * Node. The words come in through TaskViewText (built with vscode.l10n.t in task-panel.ts) and
 * the preview URIs through a function (webview.asWebviewUri in the host).
 */
import { getModel } from '../core/providers/catalog';
import type { ModelSpec } from '../core/providers/types';
import { isTerminal, type TaskSnapshot, type TaskState } from '../core/jobs/task';
import type { TaskImage, TaskView } from '../shared/protocol';

export type Language = 'en' | 'zh';

/** The per-task words, already in the user's language. */
export interface TaskViewText {
  readonly states: Readonly<Record<TaskState, string>>;
  /** "Saving image {saved} of {total}". */
  savingImage(saved: number, total: number): string;
  /** "Waiting in the cloud's queue" (the job is accepted but not started). */
  readonly cloudQueued: string;
  /** Shown on a task that was still in progress when the window reloaded and that the engine did not resume. */
  readonly interrupted: string;
}

export interface TaskViewContext {
  readonly language: Language;
  readonly text: TaskViewText;
  /** The preview URI for a saved file, or undefined when the webview may not load it. */
  readonly previewSrc: (file: string) => string | undefined;
}

/** Any Chinese display language reads the Chinese texts (the same rule as the commands' messages). */
export function languageOf(vscodeLanguage: string): Language {
  return vscodeLanguage.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The last segment of a path or URI, for the caption under a preview. */
export function fileNameOf(file: string): string {
  const segment = file.split(/[\\/]/).filter(Boolean).pop() ?? file;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(file) || /^[a-z]:[\\/]/i.test(file)) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function modelOf(modelId: string): ModelSpec | undefined {
  try {
    return getModel(modelId);
  } catch {
    return undefined;
  }
}

function imageOf(file: string, previewSrc: (file: string) => string | undefined): TaskImage {
  return { file, src: previewSrc(file), name: fileNameOf(file) };
}

export function toTaskView(task: TaskSnapshot, context: TaskViewContext): TaskView {
  const { language, text } = context;
  const spec = modelOf(task.modelId);
  const { request } = task;
  const style = request.style ?? spec?.defaultStyle;
  const styleLabel = style === undefined ? undefined : (spec?.styles.find((option) => option.code === style)?.label[language] ?? style);
  const terminal = isTerminal(task.state);
  const progressLabel =
    task.state === 'downloading' && task.progress
      ? text.savingImage(task.progress.saved, task.progress.total)
      : task.state === 'running' && task.cloudState === 'queued'
        ? text.cloudQueued
        : undefined;
  const error = task.error;
  return {
    id: task.id,
    prompt: request.prompt,
    negativePrompt: request.negativePrompt || undefined,
    modelId: task.modelId,
    modelLabel: spec?.label[language] ?? task.modelId,
    size: request.resolution ?? spec?.defaultResolution ?? '',
    styleLabel,
    state: task.state,
    stateLabel: text.states[task.state],
    active: !terminal,
    cancellable: !terminal,
    canRegenerate: true,
    createdAt: task.createdAt,
    finishedAt: terminal ? (task.timestamps[task.state] ?? task.updatedAt) : undefined,
    progress: task.progress ? { saved: task.progress.saved, total: task.progress.total } : undefined,
    progressLabel,
    error: error && {
      code: error.code,
      explanation: error.explanation[language],
      nextStep: error.nextStep[language],
      requestId: error.requestId,
      jobId: error.jobId,
    },
    note: task.note?.[language],
    // A file outside the webview's resource roots keeps its actions, just without a preview.
    images: task.files.map((file) => imageOf(file.path, context.previewSrc)),
    requestId: task.requestId,
    jobId: task.jobId,
    restored: false,
  };
}

/**
 * A task from the panel's saved state after a window reload. The engine of the new session does
 * not know it, so it can no longer be cancelled or regenerated (regenerate needs the engine's
 * request); its files still open, reveal, link and copy. Image sources are rebuilt here: the saved
 * ones came from the webview, and only files the host still allows (previewSrc) are kept.
 */
export function restoredTaskView(saved: TaskView, context: Pick<TaskViewContext, 'previewSrc' | 'text'>): TaskView {
  const interrupted = !isTerminal(saved.state);
  return {
    ...saved,
    active: false,
    cancellable: false,
    canRegenerate: false,
    progressLabel: undefined,
    note: interrupted ? context.text.interrupted : saved.note,
    // Only files the host still allows survive: the saved list came from the webview.
    images: saved.images.map((image) => imageOf(image.file, context.previewSrc)).filter((image) => image.src !== undefined),
    restored: true,
  };
}

/**
 * The engine's tasks (in its order: oldest first) and the restored ones (the engine wins for an id
 * it knows), newest first. Tasks started in the same millisecond keep the engine's order, reversed.
 */
export function mergeTaskViews(live: readonly TaskView[], restored: readonly TaskView[]): TaskView[] {
  const liveIds = new Set(live.map((task) => task.id));
  return [...live].reverse().concat(restored.filter((task) => !liveIds.has(task.id))).sort((a, b) => b.createdAt - a.createdAt);
}
