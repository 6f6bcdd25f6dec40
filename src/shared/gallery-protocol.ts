/**
 * Every message between the extension host and the gallery webview view (`imageStudio.gallery`),
 * as zod schemas that both sides run on what they receive. A message that fails its schema is
 * dropped and reported (`droppedHostMessage` one way, the host's log the other); never half-used.
 *
 * Shape of the conversation:
 *   webview -> host  `ready`                        (on every load: first open, reload, shown again)
 *   host -> webview  `init` {language, strings, query, models, empty}
 *                                                   (the answer to `ready`; nothing is posted before it;
 *                                                   may be sent again, e.g. when credentials change)
 *   host -> webview  `items` {generation, total, matched, items, models, empty, more?}
 *                                                   (the whole filtered, sorted list; after `init`, after
 *                                                   every `query`, and whenever the index changes; the
 *                                                   answer to `ready` may come in two: the first screen's
 *                                                   items with `more: true`, then the whole list)
 *   webview -> host  `query` {text, model, sort}    (debounced; the host filters, sorts, remembers it)
 *   webview -> host  `action` {action, id}          (an item's button, Enter, Delete)
 *   webview -> host  `emptyAction` {action}         (the empty state's button)
 *   host -> webview  `reportRendered` {requestId} -> webview -> host `rendered` {requestId, ...}
 *   host -> webview  `echo` {requestId, payload} -> webview posts `payload`, then `echoed` {requestId}
 *   webview -> host  `metrics` {...}                (once per page load, when the first screen of
 *                                                   thumbnails has loaded: for the log and the benchmark)
 *   webview -> host  `thumbnail` {id, bytes}        (a small PNG the page made from a full image: the
 *                                                   host caches it, and later lists send it as the item's
 *                                                   `thumb`, so the page never decodes that file again)
 *   webview -> host  `cspViolation`, `droppedHostMessage` (as in the task panel)
 *
 * The host owns search, filter and sort (src/core/gallery): the page shows the list it is given, in
 * that order, and only asks for a new one. The page has no localisation of its own: the host sends
 * every word (`strings`, model labels) already in the user's language. Prompts and metadata are DATA
 * (they come from files other people committed): the page renders them with textContent only.
 *
 * The page the host writes (like the task panel's): CSP `default-src 'none'; img-src ${cspSource};
 * style-src ${cspSource}; font-src ${cspSource}; script-src 'nonce-…'` (thumbnails are plain <img>
 * from webview resource URIs: no blob:, no connect-src), `<link>`s to media/codicons/codicon.css and
 * media/gallery.css, `<body><main id="app" aria-busy="true"></main>` and
 * `<script nonce="…" src="media/gallery.js">`. localResourceRoots: media/ and the output folders.
 *
 * This file is imported by the webview bundle too: zod/mini and nothing else.
 */
import * as z from 'zod/mini';

// Bounds keep a hostile or broken message from making either side allocate without limit.
const MAX_TEXT = 20_000;
/** The most items one `items` message carries; the host sends the first MAX_ITEMS in order, `matched` says how many there were. */
export const MAX_GALLERY_ITEMS = 20_000;
/** How many items the head of a list sent ahead (`more`) holds: a screen of thumbnails even in a wide panel, with rows to spare. */
export const GALLERY_HEAD_ITEMS = 200;
const MAX_MODELS = 500;
export const MAX_QUERY_TEXT = 1_000;
/** The most bytes of a cached thumbnail (a `thumbnail` message); the page does not send bigger ones. */
export const MAX_THUMBNAIL_BYTES = 128 * 1024;
/** The largest side of a cached thumbnail, px (the host refuses bigger ones). */
export const MAX_THUMBNAIL_SIDE = 512;

const text = (max = MAX_TEXT) => z.string().check(z.maxLength(max));
/** An item's id: the file's URI string (stable across refreshes and reloads). */
const itemId = z.string().check(z.minLength(1), z.maxLength(8_000));
const epochMs = z.number().check(z.nonnegative());
const count = z.int().check(z.nonnegative());
const requestId = z.int().check(z.nonnegative());

export const GALLERY_SORTS = ['time', 'name'] as const;
export const GallerySortSchema = z.enum(GALLERY_SORTS);
export type GallerySort = z.infer<typeof GallerySortSchema>;

/** The user's search, model filter and sort. The host keeps it in workspaceState: it survives reloads. */
export const GalleryQuerySchema = z.strictObject({
  /** Free text matched against prompts (the host normalises it; every word must match). */
  text: text(MAX_QUERY_TEXT),
  /** A catalog model id, or '' for all models. */
  model: text(200),
  /** 'time': newest first; 'name': by file name, A to Z. */
  sort: GallerySortSchema,
});
export type GalleryQuery = z.infer<typeof GalleryQuerySchema>;

/** An entry of the model filter (the models present in the index), label localised. */
export const GalleryModelOptionSchema = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(200)), label: text(500) });
export type GalleryModelOption = z.infer<typeof GalleryModelOptionSchema>;

/**
 * What the page offers when the gallery has no image at all: 'setCredentials' when none are stored,
 * 'generate' otherwise; null when there are images (a search that matches nothing is not empty).
 */
export const GalleryEmptySchema = z.nullable(z.enum(['setCredentials', 'generate']));
export type GalleryEmpty = z.infer<typeof GalleryEmptySchema>;

/** One image as the gallery shows it. Everything but id/src/name/relPath/folderName/time/bytes/format/hasAigcLabel may be unknown. */
export const GalleryItemSchema = z.strictObject({
  id: itemId,
  /** webview.asWebviewUri of the file: the thumbnail and the detail preview load it. */
  src: text(8_000),
  /** webview URI of the cached thumbnail of this very version of the file (mtime + size), when there is one. */
  thumb: z.optional(text(8_000)),
  /** File name, e.g. `red-fox-20261121-045126.png`. */
  name: text(1_000),
  /** Path relative to its workspace folder, `/`-separated, e.g. `assets/generated/red-fox.png`. */
  relPath: text(4_000),
  /** Name of the workspace folder it is in (several folders may be open). */
  folderName: text(1_000),
  /** When the image was made, epoch ms: the generation record's time, else the file's mtime. */
  time: epochMs,
  /** File size in bytes. */
  bytes: count,
  /** Pixel size read from the file's header, when it could be read. */
  width: z.optional(count),
  height: z.optional(count),
  /** 'png', 'jpeg', 'webp', 'bmp', 'tiff', 'gif'. */
  format: text(20),
  // From our generation record in the file, when present:
  prompt: z.optional(text()),
  negativePrompt: z.optional(text()),
  /** Catalog model id. */
  model: z.optional(text(200)),
  /** The model's label in the user's language (the id when the catalog does not know it). */
  modelLabel: z.optional(text(500)),
  /** Requested size, `W:H`. */
  size: z.optional(text(100)),
  /** Style as the user knows it (the catalog's label when known, else the code). */
  style: z.optional(text(500)),
  seed: z.optional(z.number()),
  requestId: z.optional(text(200)),
  jobId: z.optional(text(200)),
  /** The GB 45438-2025 implicit AI-generated label (`AIGC`) is in the file. */
  hasAigcLabel: z.boolean(),
});
export type GalleryItem = z.infer<typeof GalleryItemSchema>;

/**
 * Every fixed word of the gallery page, localised by the host (vscode.l10n.t). The comment after
 * each key is the English text the page was designed with. `{0}`/`{1}` in a template are filled in
 * by the page (build them with vscode.l10n.t('{0} images', '{0}') so the placeholder survives).
 */
export const GALLERY_STRING_KEYS = [
  'searchPlaceholder', // Search prompts
  'searchLabel', // Search images by prompt
  'modelFilterLabel', // Filter by model
  'allModels', // All models
  'sortLabel', // Sort
  'sortTime', // Newest first
  'sortName', // Name
  'gridLabel', // Generated images
  'countAll', // {0} images            ({0}: how many)
  'countMatched', // {0} of {1} images ({0}: matching, {1}: all)
  'loading', // Loading images…
  'noMatches', // No images match the search.
  'clearSearch', // Clear Search
  'emptyTitle', // No images yet
  'emptyHintSetCredentials', // Set your Tencent Cloud credentials to start generating images.
  'emptyHintGenerate', // Images you generate are saved in the output folder and appear here.
  'setCredentials', // Set Credentials
  'generate', // Generate Image
  'details', // Details
  'closeDetails', // Close Details
  'noRecord', // This image has no generation record.
  'prompt', // Prompt
  'negativePrompt', // Negative prompt
  'model', // Model
  'size', // Size
  'dimensions', // Dimensions
  'style', // Style
  'seed', // Seed
  'time', // Time
  'fileSize', // File size
  'file', // File
  'requestId', // RequestId
  'jobId', // JobId
  'aigcLabel', // AI-generated label
  'aigcPresent', // Present
  'aigcAbsent', // Not found
  'open', // Open
  'reveal', // Reveal in Explorer
  'insertLink', // Insert Markdown Link
  'copyPrompt', // Copy Prompt
  'copyPath', // Copy Path
  'regenerate', // Regenerate
  'regenerateWithEdits', // Regenerate with Edits…
  'useAsReference', // Use as Reference (Image to Image)
  'delete', // Delete
  'thumbnailFailed', // The image could not be loaded.
  'gridHint', // Arrow keys move, Enter opens, Space shows details, Delete deletes.
] as const;
export type GalleryStringKey = (typeof GALLERY_STRING_KEYS)[number];
export const GalleryStringsSchema = z.strictObject(
  Object.fromEntries(GALLERY_STRING_KEYS.map((key) => [key, text(2_000)])) as Record<GalleryStringKey, ReturnType<typeof text>>,
);
export type GalleryStrings = z.infer<typeof GalleryStringsSchema>;

export const GALLERY_ACTIONS = [
  'open',
  'reveal',
  'insertLink',
  'copyPrompt',
  'copyPath',
  'regenerate',
  'regenerateWithEdits',
  'useAsReference',
  'delete',
] as const;
export const GalleryActionSchema = z.enum(GALLERY_ACTIONS);
export type GalleryActionName = z.infer<typeof GalleryActionSchema>;

/** Actions that need the generation record (the page hides them for an image without one). */
export const RECORD_ACTIONS: readonly GalleryActionName[] = ['copyPrompt', 'regenerate', 'regenerateWithEdits'];

const models = z.array(GalleryModelOptionSchema).check(z.maxLength(MAX_MODELS));

// ---- host -> webview ----

export const GalleryInitMessageSchema = z.strictObject({
  type: z.literal('init'),
  /** BCP 47 tag for <html lang> and date formatting, e.g. `en`, `zh-CN`. */
  language: text(50),
  strings: GalleryStringsSchema,
  /** The remembered search, filter and sort: the page shows them in its controls. */
  query: GalleryQuerySchema,
  models,
  empty: GalleryEmptySchema,
});

export const GalleryItemsMessageSchema = z.strictObject({
  type: z.literal('items'),
  /**
   * Numbers the list when the host takes it from its index (increasing in a host session); the page
   * ignores a list older than the one it shows. The head sent ahead and the whole list share one.
   */
  generation: count,
  /** Images in the index before search and filter. */
  total: count,
  /** Images matching the current query (items has the first MAX_GALLERY_ITEMS of them). */
  matched: count,
  items: z.array(GalleryItemSchema).check(z.maxLength(MAX_GALLERY_ITEMS)),
  /** The models present in the index, for the filter. */
  models,
  empty: GalleryEmptySchema,
  /**
   * `items` is only the head of the list, enough for the first screen; the whole list follows in the
   * next `items` message. (Building, checking and carrying 2,000 items took longer than drawing the
   * first screen; the head is a few dozen KB.)
   */
  more: z.optional(z.literal(true)),
});

export const ReportRenderedMessageSchema = z.strictObject({ type: z.literal('reportRendered'), requestId });

export const GalleryEchoMessageSchema = z.strictObject({ type: z.literal('echo'), requestId, payload: z.unknown() });

export const GalleryHostMessageSchema = z.discriminatedUnion('type', [
  GalleryInitMessageSchema,
  GalleryItemsMessageSchema,
  ReportRenderedMessageSchema,
  GalleryEchoMessageSchema,
]);
export type GalleryHostMessage = z.infer<typeof GalleryHostMessageSchema>;

// ---- webview -> host ----

export const GalleryReadyMessageSchema = z.strictObject({ type: z.literal('ready') });

export const GalleryQueryMessageSchema = z.strictObject({ type: z.literal('query'), ...GalleryQuerySchema.shape });

export const GalleryActionMessageSchema = z.strictObject({ type: z.literal('action'), action: GalleryActionSchema, id: itemId });

export const GalleryEmptyActionMessageSchema = z.strictObject({
  type: z.literal('emptyAction'),
  action: z.enum(['setCredentials', 'generate']),
});

/** One item the page has in its DOM now (the virtualised grid holds only the rows near the view). */
export const RenderedGalleryItemSchema = z.strictObject({
  id: itemId,
  /** The cell's hover text (its title attribute): the prompt, or the file name without one. */
  prompt: text(),
  /** The cell intersects the grid's viewport. */
  visible: z.boolean(),
  /** Its thumbnail has loaded (complete, naturalWidth > 0). */
  thumbnailLoaded: z.boolean(),
  /** It was drawn from the host's cached thumbnail (the item's `thumb`), not decoded from the full image. */
  thumbnailFromCache: z.optional(z.boolean()),
});
export type RenderedGalleryItem = z.infer<typeof RenderedGalleryItemSchema>;

/** What the page shows in place of (or as) the grid. */
export const GalleryShownSchema = z.enum(['loading', 'grid', 'noMatches', 'empty']);
export type GalleryShown = z.infer<typeof GalleryShownSchema>;

export const GalleryRenderedMessageSchema = z.strictObject({
  type: z.literal('rendered'),
  requestId,
  shown: GalleryShownSchema,
  /** The id whose detail view is open, if any. */
  detailId: z.optional(itemId),
  /** The cells in the page's DOM (the grid is virtual: about a screen of them), in screen order. */
  items: z.array(RenderedGalleryItemSchema).check(z.maxLength(MAX_GALLERY_ITEMS)),
  /** How many items the page's list holds (the head of a list sent ahead, or all of it). */
  listed: count,
});

export const GalleryEchoedMessageSchema = z.strictObject({ type: z.literal('echoed'), requestId });

/** Measured by the page itself (performance.now() is ms since the page's time origin). */
export const GalleryMetricsMessageSchema = z.strictObject({
  type: z.literal('metrics'),
  /** From the page's time origin to every thumbnail of the first screen decoded and painted (or failed). */
  firstScreenMs: z.number().check(z.nonnegative()),
  /** From the page's time origin to the first `items` message arriving. */
  itemsReceivedMs: z.number().check(z.nonnegative()),
  /** Items in the list when measured. */
  itemCount: count,
  /** Cells in the first screen (those that had to load). */
  firstScreenCells: count,
  /** Cells in the DOM (the rows in view plus the margin). */
  domCells: count,
  /** Thumbnails whose loading the page started so far (never more than the cells it rendered). */
  thumbnailsRequested: count,
  thumbnailsLoaded: count,
  /** performance.memory.usedJSHeapSize where Chromium offers it. */
  jsHeapBytes: z.optional(count),
});
export type GalleryMetrics = Omit<z.infer<typeof GalleryMetricsMessageSchema>, 'type'>;

/** A thumbnail the page drew from a full image (PNG bytes; the host checks it is one, ≤ MAX_THUMBNAIL_SIDE). */
export const GalleryThumbnailMessageSchema = z.strictObject({
  type: z.literal('thumbnail'),
  id: itemId,
  bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array).check(z.refine((bytes) => bytes.byteLength > 0 && bytes.byteLength <= MAX_THUMBNAIL_BYTES, `1 to ${MAX_THUMBNAIL_BYTES} bytes`)),
});

export const GalleryCspViolationMessageSchema = z.strictObject({
  type: z.literal('cspViolation'),
  directive: text(200),
  blockedUri: text(2_000),
});

export const GalleryDroppedHostMessageSchema = z.strictObject({ type: z.literal('droppedHostMessage'), issues: text(2_000) });

export const GalleryWebviewMessageSchema = z.discriminatedUnion('type', [
  GalleryReadyMessageSchema,
  GalleryQueryMessageSchema,
  GalleryActionMessageSchema,
  GalleryEmptyActionMessageSchema,
  GalleryRenderedMessageSchema,
  GalleryEchoedMessageSchema,
  GalleryMetricsMessageSchema,
  GalleryThumbnailMessageSchema,
  GalleryCspViolationMessageSchema,
  GalleryDroppedHostMessageSchema,
]);
export type GalleryWebviewMessage = z.infer<typeof GalleryWebviewMessageSchema>;
