/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The gallery page (bundled into media/gallery.js; runs under a CSP that allows this script by
 * nonce and nothing inline; boot.ts prepares for that first). It validates every
 * host message, shows the list it is given (the host searches, filters and sorts), sends the
 * user's choices as `query` and clicks/keys as `action`, and keeps its place (scroll, active and
 * open item) in the webview state so a page shown again or reloaded comes back where it was.
 */
import { vscode } from './boot';
import {
  type GalleryEmpty,
  GalleryHostMessageSchema,
  type GalleryItem,
  type GalleryQuery,
  type GalleryShown,
  type GalleryStrings,
  type GalleryWebviewMessage,
} from '../../shared/gallery-protocol';
import { describeIssues } from '../../shared/protocol';
import { DetailView } from './detail';
import { button, el, icon } from './dom';
import { fill, formatCount } from './format';
import { VirtualGrid } from './grid';
import { measureFirstScreen } from './metrics';
import { Toolbar } from './toolbar';

const post = (message: GalleryWebviewMessage): void => vscode.postMessage(message);

/** Where the user was: restored after the page is shown again or reloaded. */
interface PageState {
  readonly activeId?: string;
  readonly detailId?: string;
  readonly scrollTop: number;
}

function readPageState(): PageState {
  // Our own earlier value, but still checked field by field: it comes back through VS Code.
  const raw: unknown = vscode.getState();
  const state = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const id = (value: unknown) => (typeof value === 'string' && value.length > 0 && value.length <= 8_000 ? value : undefined);
  return {
    activeId: id(state.activeId),
    detailId: id(state.detailId),
    scrollTop: typeof state.scrollTop === 'number' && Number.isFinite(state.scrollTop) ? Math.max(0, state.scrollTop) : 0,
  };
}

const app = ((): HTMLElement => {
  const node = document.getElementById('app');
  if (!node) throw new Error('the gallery page has no #app element');
  return node;
})();

let strings: GalleryStrings | undefined;
let language = 'en';
let shown: GalleryShown = 'loading';
let lastGeneration = -1;
let items: GalleryItem[] = [];
/** Of the last `items` message: images in the index, images matching the query. */
let counts = { total: 0, matched: 0 };
let empty: GalleryEmpty = null;
/** A query was sent and its answer has not arrived: the answer starts at the top of the grid. */
let awaitingQueryReply = false;
/** Restored once, on the first list after the page loaded. */
let restore: PageState | undefined = readPageState();
let firstScreenMeasured = false;

const toolbar = new Toolbar(
  (query: GalleryQuery) => {
    awaitingQueryReply = true;
    post({ type: 'query', ...query });
  },
  () => grid.element.focus(),
);
const grid = new VirtualGrid({
  open: (item) => post({ type: 'action', action: 'open', id: item.id }),
  details: (item) => showDetails(item),
  delete: (item) => post({ type: 'action', action: 'delete', id: item.id }),
  activeChanged: () => saveState(),
  thumbnailMade: (item, png) => post({ type: 'thumbnail', id: item.id, bytes: png }),
});
const detail = new DetailView({
  action: (action, item) => post({ type: 'action', action, id: item.id }),
  closed: (item) => {
    setInert(false);
    grid.focusItem(item.id);
    saveState();
  },
});

const hint = el('p', 'visually-hidden');
hint.id = 'gallery-hint';
const loading = el('div', 'loading');
const message = el('div', 'message');
const main = el('div', 'gallery');
main.append(toolbar.element, loading, grid.element, message);
app.replaceChildren(main, detail.element, hint);
app.removeAttribute('aria-busy');
show('loading');

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
grid.element.addEventListener(
  'scroll',
  () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(saveState, 200);
  },
  { passive: true },
);
// Counters for the benchmark (it reads them from the page's DOM): how many thumbnails were asked
// for and arrived, against how many cells exist.
grid.onChange = () => {
  app.dataset.thumbnailsRequested = String(grid.counts.requested);
  app.dataset.thumbnailsLoaded = String(grid.counts.loaded);
  app.dataset.thumbnailsFromCache = String(grid.counts.fromCache);
  app.dataset.domCells = String(grid.domCells);
};

function saveState(): void {
  const state: PageState = { activeId: grid.activeItem?.id, detailId: detail.item?.id, scrollTop: grid.scrollTop };
  vscode.setState(state);
}

function setInert(value: boolean): void {
  main.inert = value;
}

function showDetails(item: GalleryItem): void {
  if (!strings) return;
  detail.show(strings, language, item);
  setInert(true);
  saveState();
}

function show(what: GalleryShown): void {
  shown = what;
  loading.hidden = what !== 'loading';
  grid.element.hidden = what !== 'grid';
  message.hidden = what !== 'empty' && what !== 'noMatches';
  app.dataset.shown = what;
}

function applyStrings(next: GalleryStrings): void {
  strings = next;
  toolbar.setStrings(next);
  grid.setLabels(next.gridLabel, hint.id, next.thumbnailFailed);
  hint.textContent = next.gridHint;
  const bar = el('div', 'progress');
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-label', next.loading);
  bar.append(el('div', 'progress__fill'));
  loading.replaceChildren(bar, el('p', 'loading__text', next.loading));
}

function renderMessage(): void {
  if (!strings) return;
  if (shown === 'noMatches') {
    message.replaceChildren(
      icon('search'),
      el('p', 'message__title', strings.noMatches),
      button('action', 'clear-all', strings.clearSearch, () => toolbar.clearFilters()),
    );
    return;
  }
  const action = empty ?? 'generate';
  message.replaceChildren(
    icon('file-media'),
    el('h2', 'message__title', strings.emptyTitle),
    el('p', 'message__hint', action === 'setCredentials' ? strings.emptyHintSetCredentials : strings.emptyHintGenerate),
    button('action action--primary', action === 'setCredentials' ? 'key' : 'sparkle', action === 'setCredentials' ? strings.setCredentials : strings.generate, () =>
      post({ type: 'emptyAction', action }),
    ),
  );
}

/** `head`: the first screen's items of a list whose rest follows (the host's `more`). */
function showItems(next: GalleryItem[], receivedAt = performance.now(), head = false): void {
  if (!strings) return;
  // A page coming back to a place further down waits for the whole list rather than flash the top.
  if (head && restore && restore.scrollTop > 0) return;
  items = next;
  const { total, matched } = counts;
  show(total === 0 ? 'empty' : matched === 0 ? 'noMatches' : 'grid');
  renderMessage();
  // "0 images" above "No images yet" would say it twice.
  toolbar.setCount(total === 0 ? '' : total === matched ? fill(strings.countAll, formatCount(total, language)) : fill(strings.countMatched, formatCount(matched, language), formatCount(total, language)));

  if (head) {
    // Where the user was, and the open detail view, are settled by the whole list (their item may be in the rest).
    grid.setItems(items, { activeId: restore?.activeId });
  } else {
    const restoring = restore;
    restore = undefined;
    grid.setItems(items, { resetScroll: awaitingQueryReply && !restoring, activeId: restoring?.activeId });
    awaitingQueryReply = false;
    if (restoring && restoring.scrollTop > 0) grid.scrollTop = restoring.scrollTop;

    // The open detail view follows its item: refreshed when it changed, closed when it is gone.
    const detailId = restoring?.detailId ?? detail.item?.id;
    const detailItem = detailId === undefined ? undefined : items.find((item) => item.id === detailId);
    if (detailItem) showDetails(detailItem);
    else if (detail.item) detail.close();
  }

  if (!firstScreenMeasured && shown === 'grid') {
    firstScreenMeasured = true;
    void measureFirstScreen(grid, items.length, receivedAt).then((metrics) => {
      // Also on the page, for the benchmark (test/bench/gallery.ts), which reads the DOM.
      app.dataset.metrics = JSON.stringify(metrics);
      post({ type: 'metrics', ...metrics });
    });
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = GalleryHostMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    post({ type: 'droppedHostMessage', issues: describeIssues(parsed.error).slice(0, 2_000) });
    return;
  }
  const receivedAt = performance.now();
  const received = parsed.data;
  switch (received.type) {
    case 'init':
      performance.mark('gallery:init');
      document.documentElement.lang = received.language;
      language = received.language;
      applyStrings(received.strings);
      toolbar.setModels(received.models);
      toolbar.setQuery(received.query);
      empty = received.empty;
      // A repeated `init` (e.g. credentials changed) keeps the list; the first one waits for `items`.
      if (lastGeneration >= 0) showItems(items);
      return;
    case 'items':
      // Before `init` there are no words to render with; the host sends `items` after `init` anyway.
      if (!strings || received.generation < lastGeneration) return;
      performance.mark('gallery:items');
      lastGeneration = received.generation;
      counts = { total: received.total, matched: received.matched };
      empty = received.empty;
      toolbar.setModels(received.models);
      showItems(received.items, receivedAt, received.more === true);
      return;
    case 'reportRendered':
      post({
        type: 'rendered',
        requestId: received.requestId,
        shown,
        ...(detail.item && { detailId: detail.item.id }),
        items: shown === 'grid' ? grid.rendered() : [],
        listed: items.length,
      });
      return;
    case 'echo':
      vscode.postMessage(received.payload);
      post({ type: 'echoed', requestId: received.requestId });
      return;
  }
});

// The benchmark reads these marks for its timeline (page start → ready → init → list → first screen).
performance.mark('gallery:ready');
post({ type: 'ready' });
