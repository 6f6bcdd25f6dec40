/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="dom.asynciterable" />
/**
 * The task list of the panel page: one card per task, newest first.
 *
 * Everything that comes from a task (prompt, file names, error text) is set with textContent or
 * as an attribute value through the DOM API, never parsed as HTML: a prompt is data.
 * Cards are keyed by task id and rebuilt only when their task changed, so previews do not reload
 * and keyboard focus survives an update (the focused button is found again in the new card).
 */
import type { CodiconName } from '../../shared/codicons';
import type { PanelStrings, RenderedRow, TaskActionName, TaskImage, TaskView } from '../../shared/protocol';
import { ACTION_ICONS, formatElapsed, STATE_ICONS } from './format';

export type ActionHandler = (action: TaskActionName, taskId: string, file?: string) => void;

interface Card {
  readonly node: HTMLLIElement;
  /** The task as last rendered (JSON): an unchanged task keeps its card. */
  readonly key: string;
  readonly task: TaskView;
  readonly elapsed: HTMLElement;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function icon(name: CodiconName, modifier?: 'codicon-modifier-spin'): HTMLElement {
  const node = el('i', `codicon codicon-${name}${modifier ? ` ${modifier}` : ''}`);
  node.setAttribute('aria-hidden', 'true');
  return node;
}

export class TaskList {
  private strings: PanelStrings | undefined;
  private tasks: TaskView[] = [];
  /** Page clock minus host clock, so elapsed times are right when the host runs elsewhere. */
  private clockOffset = 0;
  private readonly cards = new Map<string, Card>();
  /** What each button does; kept off the DOM so no attribute value is ever interpreted. */
  private readonly handlers = new WeakMap<Element, () => void>();
  private readonly list = el('ul', 'tasks');
  private readonly empty = el('div', 'empty');
  private readonly announcer = el('div', 'visually-hidden');
  private ticker: ReturnType<typeof setInterval> | undefined;
  private nextDomId = 1;

  constructor(
    private readonly root: HTMLElement,
    private readonly onAction: ActionHandler,
  ) {
    this.announcer.setAttribute('aria-live', 'polite');
    this.announcer.setAttribute('role', 'status');
    root.replaceChildren(this.list, this.empty, this.announcer);
    root.addEventListener('click', (event) => {
      const button = (event.target as Element | null)?.closest('button');
      const handler = button && this.handlers.get(button);
      if (handler) handler();
    });
  }

  /** Shows `tasks` (already newest first); `hostNow` is the host's clock when it sent them. */
  render(strings: PanelStrings, tasks: readonly TaskView[], hostNow: number): void {
    this.clockOffset = Date.now() - hostNow;
    if (this.strings !== strings) {
      // New words (first render, or another display language): no card may keep the old ones.
      this.strings = strings;
      for (const card of this.cards.values()) card.node.remove();
      this.cards.clear();
      this.list.setAttribute('aria-label', strings.listLabel);
      this.renderEmpty(strings);
    }
    const previous = new Map(this.tasks.map((task) => [task.id, task.state]));
    this.tasks = [...tasks];
    this.empty.hidden = tasks.length > 0;
    this.list.hidden = tasks.length === 0;
    this.root.removeAttribute('aria-busy');

    const wanted = new Set(tasks.map((task) => task.id));
    for (const [id, card] of this.cards) {
      if (!wanted.has(id)) {
        card.node.remove();
        this.cards.delete(id);
      }
    }
    tasks.forEach((task, index) => {
      const key = JSON.stringify(task);
      let card = this.cards.get(task.id);
      if (!card || card.key !== key) {
        const replaced = card;
        card = this.buildCard(strings, task, key);
        this.cards.set(task.id, card);
        if (replaced) this.replaceKeepingFocus(replaced.node, card.node);
      }
      // Move only what is out of place: moving a node would drop its focus.
      const current = this.list.children[index];
      if (current !== card.node) this.list.insertBefore(card.node, current ?? null);
    });

    const changed = tasks.find((task) => previous.has(task.id) && previous.get(task.id) !== task.state);
    if (changed) this.announcer.textContent = `${changed.stateLabel}: ${changed.prompt.slice(0, 100)}`;
    this.tick();
    this.updateTicker();
  }

  /** The rows as the DOM shows them now (for the host's tests). */
  rows(): RenderedRow[] {
    return [...this.list.children].flatMap((node) => {
      const card = [...this.cards.values()].find((candidate) => candidate.node === node);
      if (!card) return [];
      const promptNode = node.querySelector<HTMLElement>('.task__prompt');
      const prompt = promptNode?.textContent ?? '';
      const hasImage = [...node.querySelectorAll('img')].some((img) => img.complete && img.naturalWidth > 0);
      const promptIsolated = promptNode !== null && promptNode.dir === 'auto' && getComputedStyle(promptNode).unicodeBidi === 'isolate';
      return [{ taskId: card.task.id, state: card.task.state, prompt, promptIsolated, hasImage }];
    });
  }

  private renderEmpty(strings: PanelStrings): void {
    this.empty.replaceChildren(icon('sparkle'), el('h2', 'empty__title', strings.empty), el('p', 'empty__hint', strings.emptyHint));
  }

  private replaceKeepingFocus(old: HTMLElement, next: HTMLElement): void {
    const focused = document.activeElement;
    const focusKey = focused instanceof HTMLElement && old.contains(focused) ? focused.dataset.focusKey : undefined;
    old.replaceWith(next);
    if (focusKey === undefined) return;
    const again = [...next.querySelectorAll<HTMLElement>('[data-focus-key]')].find((candidate) => candidate.dataset.focusKey === focusKey);
    again?.focus();
  }

  private button(action: TaskActionName, label: string, context: string, task: TaskView, file?: string): HTMLButtonElement {
    const button = el('button', 'icon-button');
    button.type = 'button';
    button.title = label;
    button.setAttribute('aria-label', context ? `${label}: ${context}` : label);
    button.dataset.focusKey = `${action}\n${file ?? ''}`;
    button.append(icon(ACTION_ICONS[action]));
    this.handlers.set(button, () => this.onAction(action, task.id, file));
    return button;
  }

  private buildCard(strings: PanelStrings, task: TaskView, key: string): Card {
    const promptId = `task-prompt-${this.nextDomId++}`;
    const node = el('li', `task task--${task.state}`);
    node.setAttribute('aria-labelledby', promptId);

    // Header: state in words, facts, task actions.
    const header = el('div', 'task__header');
    const state = el('span', `state state--${task.state}`);
    state.append(icon(STATE_ICONS[task.state], task.state === 'running' ? 'codicon-modifier-spin' : undefined), el('span', 'state__label', task.stateLabel));
    const meta = el('span', 'meta');
    const fact = (label: string, value: string, iconName?: CodiconName): HTMLElement => {
      const item = el('span', 'meta__item');
      item.title = label;
      item.setAttribute('aria-label', `${label}: ${value}`);
      if (iconName) item.append(icon(iconName));
      item.append(document.createTextNode(value));
      return item;
    };
    meta.append(fact(strings.model, task.modelLabel));
    if (task.size) meta.append(fact(strings.size, task.size));
    if (task.styleLabel) meta.append(fact(strings.style, task.styleLabel));
    const elapsed = el('span', 'meta__value');
    const elapsedItem = el('span', 'meta__item meta__item--elapsed');
    elapsedItem.title = strings.elapsed;
    elapsedItem.append(icon('watch'), elapsed);
    meta.append(elapsedItem);
    if (task.restored) meta.append(el('span', 'tag', strings.restored));
    const toolbar = el('span', 'toolbar');
    const shortPrompt = task.prompt.length > 60 ? `${task.prompt.slice(0, 60)}…` : task.prompt;
    if (task.canRegenerate && !task.active) toolbar.append(this.button('regenerate', strings.regenerate, shortPrompt, task));
    if (task.cancellable) toolbar.append(this.button('cancel', strings.cancel, shortPrompt, task));
    header.append(state, meta, toolbar);

    const prompt = el('p', 'task__prompt', task.prompt);
    // Bidi controls in a prompt (U+202E...) reorder only the prompt: its own direction, isolated (tasks.css).
    prompt.dir = 'auto';
    prompt.id = promptId;
    node.append(header, prompt);
    if (task.negativePrompt) {
      const negative = el('p', 'task__negative');
      negative.append(el('span', 'task__field', `${strings.negativePrompt}: `), el('bdi', undefined, task.negativePrompt));
      node.append(negative);
    }

    if (task.active) node.append(this.progress(strings, task));
    if (task.error) {
      const box = el('div', 'callout callout--error');
      const body = el('div', 'callout__body');
      body.append(el('p', 'callout__title', task.error.explanation), el('p', undefined, task.error.nextStep));
      body.append(this.ids([strings.errorCode, task.error.code], [strings.requestId, task.error.requestId ?? task.requestId], [strings.jobId, task.error.jobId ?? task.jobId]));
      box.append(icon('error'), body);
      node.append(box);
    }
    if (task.note) {
      const box = el('div', 'callout callout--warning');
      box.append(icon('warning'), el('p', 'callout__body', task.note));
      node.append(box);
    }
    if (task.images.length > 0) node.append(this.images(strings, task));
    if (!task.error && task.state === 'saved' && task.requestId) {
      node.append(this.ids([strings.requestId, task.requestId], [strings.jobId, task.jobId]));
    }
    const card: Card = { node, key, task, elapsed };
    return card;
  }

  private progress(strings: PanelStrings, task: TaskView): HTMLElement {
    const wrap = el('div', 'progress-wrap');
    const bar = el('div', 'progress');
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-label', task.progressLabel ?? `${strings.progress}: ${task.stateLabel}`);
    const fill = el('div', 'progress__fill');
    const progress = task.progress;
    if (progress && progress.total > 0) {
      bar.setAttribute('aria-valuemin', '0');
      bar.setAttribute('aria-valuemax', String(progress.total));
      bar.setAttribute('aria-valuenow', String(progress.saved));
      // CSSOM, not a style attribute: the CSP allows no inline styles.
      fill.style.width = `${Math.max(4, (progress.saved / progress.total) * 100)}%`;
    } else {
      bar.classList.add('progress--indeterminate');
    }
    bar.append(fill);
    wrap.append(bar);
    if (task.progressLabel) wrap.append(el('p', 'progress__label', task.progressLabel));
    return wrap;
  }

  private images(strings: PanelStrings, task: TaskView): HTMLElement {
    const list = el('ul', 'images');
    task.images.forEach((image: TaskImage, index) => {
      const item = el('li', 'image');
      const frame = el('div', 'image__frame');
      if (image.src) {
        const img = el('img');
        img.alt = `${strings.imageAlt} ${index + 1}: ${image.name}`;
        img.decoding = 'async';
        img.src = image.src;
        frame.append(img);
      } else {
        frame.classList.add('image__frame--none');
        frame.append(icon('file-media'));
      }
      const footer = el('div', 'image__footer');
      const name = el('span', 'image__name', image.name);
      name.title = image.name;
      const toolbar = el('span', 'toolbar');
      toolbar.append(
        this.button('open', strings.open, image.name, task, image.file),
        this.button('revealInExplorer', strings.revealInExplorer, image.name, task, image.file),
        this.button('insertMarkdownLink', strings.insertMarkdownLink, image.name, task, image.file),
        this.button('copyPath', strings.copyPath, image.name, task, image.file),
        this.button('useAsReference', strings.useAsReference, image.name, task, image.file),
      );
      footer.append(name, toolbar);
      item.append(frame, footer);
      list.append(item);
    });
    return list;
  }

  private ids(...pairs: [string, string | undefined][]): HTMLElement {
    const line = el('p', 'ids');
    for (const [label, value] of pairs) {
      if (!value) continue;
      const item = el('span', 'ids__item');
      item.append(el('span', 'ids__label', `${label} `), el('code', undefined, value));
      line.append(item);
    }
    return line;
  }

  /** Updates the elapsed time of every card (finished ones show their final duration). */
  private tick(): void {
    const hostNow = Date.now() - this.clockOffset;
    for (const card of this.cards.values()) {
      const end = card.task.finishedAt ?? (card.task.active ? hostNow : undefined);
      card.elapsed.textContent = end === undefined ? '–' : formatElapsed(end - card.task.createdAt);
    }
  }

  private updateTicker(): void {
    const anyActive = this.tasks.some((task) => task.active);
    if (anyActive && !this.ticker) this.ticker = setInterval(() => this.tick(), 1000);
    if (!anyActive && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
