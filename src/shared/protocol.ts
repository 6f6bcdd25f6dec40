/**
 * Every message between the extension host and the task panel webview, as zod schemas that both
 * sides run on what they receive (design.md: "every incoming message validated"). A message that
 * fails its schema is dropped and logged; it is never half-used.
 *
 * Shape of the conversation:
 *   webview -> host  `ready`                     (on every load: first open, reload, shown again)
 *   host -> webview  `init`  {strings, tasks}    (the answer to `ready`; nothing is posted before it)
 *   host -> webview  `tasks` {tasks}             (the whole list, coalesced: one message per burst)
 *   webview -> host  `action` {action, taskId, file?}
 *   host -> webview  `reportRows` {requestId} -> webview -> host `rows` {requestId, rows}
 *   host -> webview  `echo` {requestId, payload} -> webview posts `payload`, then `echoed` {requestId}
 *   webview -> host  `cspViolation`              (so a blocked script or image shows up in the log)
 *   webview -> host  `droppedHostMessage`        (the page refused a host message; the host logs why)
 *
 * The webview has no localisation of its own: the host sends every word it shows (`strings`, and
 * per task `stateLabel`, `progressLabel`, the error text) already in the user's language.
 * Prompts are data: the webview renders them with textContent, never as HTML.
 *
 * This file is imported by the webview bundle too: zod/mini and nothing else.
 */
import * as z from 'zod/mini';

// Bounds keep a hostile or broken message from making either side allocate without limit.
const MAX_TEXT = 20_000;
const MAX_TASKS = 2_000;
const MAX_IMAGES = 16;

const text = (max = MAX_TEXT) => z.string().check(z.maxLength(max));
const id = z.string().check(z.minLength(1), z.maxLength(200));
const epochMs = z.number().check(z.nonnegative());
const count = z.int().check(z.nonnegative());

export const TASK_STATES = ['queued', 'submitting', 'running', 'downloading', 'saved', 'failed', 'cancelled'] as const;
export const TaskStateSchema = z.enum(TASK_STATES);
export type TaskStateName = z.infer<typeof TaskStateSchema>;

/** What a button in the panel asks the host to do (TaskActions in src/vscode/task-panel.ts). */
export const TASK_ACTIONS = ['open', 'revealInExplorer', 'insertMarkdownLink', 'copyPath', 'regenerate', 'useAsReference', 'cancel'] as const;
export const TaskActionSchema = z.enum(TASK_ACTIONS);
export type TaskActionName = z.infer<typeof TaskActionSchema>;

/** One saved image of a task. */
export const TaskImageSchema = z.strictObject({
  /** The host's own name for the file (a path or URI string); sent back with actions, never shown as a link. */
  file: text(4_000),
  /** A webview resource URI (webview.asWebviewUri) for the preview; absent when the webview may not load the file. */
  src: z.optional(text(8_000)),
  /** The file name, shown under the preview. */
  name: text(1_000),
});
export type TaskImage = z.infer<typeof TaskImageSchema>;

export const TaskErrorViewSchema = z.strictObject({
  code: text(200),
  explanation: text(),
  nextStep: text(),
  requestId: z.optional(text(200)),
  jobId: z.optional(text(200)),
});
export type TaskErrorView = z.infer<typeof TaskErrorViewSchema>;

/** One task as the panel shows it: plain, localised, serialisable (src/vscode/task-view.ts builds it). */
export const TaskViewSchema = z.strictObject({
  id,
  prompt: text(),
  negativePrompt: z.optional(text()),
  modelId: text(200),
  modelLabel: text(500),
  size: text(100),
  styleLabel: z.optional(text(500)),
  state: TaskStateSchema,
  /** The state in words, localised (design.md: not only an icon). */
  stateLabel: text(200),
  /** Still in progress: the elapsed time ticks and a progress bar shows. */
  active: z.boolean(),
  /** The host will accept `cancel` for it. */
  cancellable: z.boolean(),
  /** The host will accept `regenerate` for it (the engine still knows its request). */
  canRegenerate: z.boolean(),
  /** Host clock, epoch ms. */
  createdAt: epochMs,
  finishedAt: z.optional(epochMs),
  progress: z.optional(z.strictObject({ saved: count, total: count })),
  /** e.g. "Saving image 1 of 4", localised. */
  progressLabel: z.optional(text(500)),
  error: z.optional(TaskErrorViewSchema),
  /** Something the user should know, e.g. that a cancelled cloud job may still be billed. */
  note: z.optional(text()),
  images: z.array(TaskImageSchema).check(z.maxLength(MAX_IMAGES)),
  requestId: z.optional(text(200)),
  jobId: z.optional(text(200)),
  /** Rebuilt from the panel's saved state after a window reload: the engine no longer knows it. */
  restored: z.boolean(),
});
export type TaskView = z.infer<typeof TaskViewSchema>;

/** Every fixed word of the panel, localised by the host. */
export const PANEL_STRING_KEYS = [
  'title',
  'listLabel',
  'empty',
  'emptyHint',
  'model',
  'size',
  'style',
  'elapsed',
  'negativePrompt',
  'requestId',
  'jobId',
  'errorCode',
  'open',
  'revealInExplorer',
  'insertMarkdownLink',
  'copyPath',
  'regenerate',
  'useAsReference',
  'cancel',
  'imageAlt',
  'progress',
  'restored',
] as const;
export type PanelStringKey = (typeof PANEL_STRING_KEYS)[number];
export const PanelStringsSchema = z.strictObject(
  Object.fromEntries(PANEL_STRING_KEYS.map((key) => [key, text(2_000)])) as Record<PanelStringKey, ReturnType<typeof text>>,
);
export type PanelStrings = z.infer<typeof PanelStringsSchema>;

const tasks = z.array(TaskViewSchema).check(z.maxLength(MAX_TASKS));
const requestId = z.int().check(z.nonnegative());

// ---- host -> webview ----

export const InitMessageSchema = z.strictObject({
  type: z.literal('init'),
  /** BCP 47 tag for <html lang>, e.g. `en`, `zh-CN`. */
  language: text(50),
  strings: PanelStringsSchema,
  tasks,
  /** Host clock when sent: the webview corrects elapsed times for a host on another machine. */
  hostNow: epochMs,
});

export const TasksMessageSchema = z.strictObject({ type: z.literal('tasks'), tasks, hostNow: epochMs });

export const ReportRowsMessageSchema = z.strictObject({ type: z.literal('reportRows'), requestId });

export const EchoMessageSchema = z.strictObject({ type: z.literal('echo'), requestId, payload: z.unknown() });

export const HostMessageSchema = z.discriminatedUnion('type', [InitMessageSchema, TasksMessageSchema, ReportRowsMessageSchema, EchoMessageSchema]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

// ---- webview -> host ----

export const ReadyMessageSchema = z.strictObject({ type: z.literal('ready') });

export const ActionMessageSchema = z.strictObject({
  type: z.literal('action'),
  action: TaskActionSchema,
  taskId: id,
  file: z.optional(text(4_000)),
});

/** What the webview has on screen for one task, read back from its DOM (tests assert on it). */
export const RenderedRowSchema = z.strictObject({
  taskId: id,
  state: TaskStateSchema,
  /** The prompt element's textContent: equal to the raw prompt when it was rendered as text. */
  prompt: text(),
  /** The prompt element takes its own direction (dir=auto) and is bidi-isolated, so it cannot reorder what surrounds it. */
  promptIsolated: z.boolean(),
  /** At least one preview image has loaded (naturalWidth > 0). */
  hasImage: z.boolean(),
});
export type RenderedRow = z.infer<typeof RenderedRowSchema>;

export const RowsMessageSchema = z.strictObject({
  type: z.literal('rows'),
  requestId,
  rows: z.array(RenderedRowSchema).check(z.maxLength(MAX_TASKS)),
});

export const EchoedMessageSchema = z.strictObject({ type: z.literal('echoed'), requestId });

export const CspViolationMessageSchema = z.strictObject({
  type: z.literal('cspViolation'),
  directive: text(200),
  blockedUri: text(2_000),
});

/** The page has no log of its own: what it drops is reported here and logged by the host. */
export const DroppedHostMessageSchema = z.strictObject({ type: z.literal('droppedHostMessage'), issues: text(2_000) });

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  ReadyMessageSchema,
  ActionMessageSchema,
  RowsMessageSchema,
  EchoedMessageSchema,
  CspViolationMessageSchema,
  DroppedHostMessageSchema,
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

// ---- the webview's persisted state (vscode.setState), handed back to the host after a reload ----

export const PanelStateSchema = z.strictObject({
  version: z.literal(1),
  language: text(50),
  strings: PanelStringsSchema,
  tasks,
});
export type PanelState = z.infer<typeof PanelStateSchema>;

/** One line about why a message was refused, for the log (never the message itself: it may be large). */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
