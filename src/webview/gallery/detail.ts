/// <reference lib="dom" />
/**
 * The detail view of one image: a larger preview, what its file says about it, and every action.
 * It covers the grid (a sidebar is too narrow for both); Escape or the back button closes it and
 * focus returns to the same cell. Every value is set with textContent: metadata is data.
 */
import type { CodiconName } from '../../shared/codicons';
import { type GalleryActionName, type GalleryItem, type GalleryStrings, RECORD_ACTIONS } from '../../shared/gallery-protocol';
import { button, el, icon } from './dom';
import { formatBytes, formatTime } from './format';

const ACTION_ICONS: Readonly<Record<GalleryActionName, CodiconName>> = {
  open: 'go-to-file',
  reveal: 'folder-opened',
  insertLink: 'markdown',
  copyPrompt: 'quote',
  copyPath: 'copy',
  regenerate: 'refresh',
  regenerateWithEdits: 'edit',
  useAsReference: 'color-mode',
  delete: 'trash',
};

/** In the order the buttons appear. */
const ACTION_ORDER: readonly GalleryActionName[] = ['open', 'reveal', 'insertLink', 'copyPrompt', 'copyPath', 'regenerate', 'regenerateWithEdits', 'useAsReference', 'delete'];

export interface DetailEvents {
  action(action: GalleryActionName, item: GalleryItem): void;
  /** The view closed (Escape or back); the page returns focus to the grid. */
  closed(item: GalleryItem): void;
}

export class DetailView {
  readonly element = el('section', 'detail');
  private current: GalleryItem | undefined;

  constructor(private readonly events: DetailEvents) {
    this.element.hidden = true;
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-modal', 'true');
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      this.close();
    });
  }

  get item(): GalleryItem | undefined {
    return this.current;
  }

  show(strings: GalleryStrings, language: string, item: GalleryItem): void {
    const wasOpen = this.current !== undefined;
    this.current = item;
    this.element.replaceChildren(...this.build(strings, language, item));
    this.element.hidden = false;
    // Keep focus where it was on a live update of the same item; else start at the back button.
    if (!wasOpen || !this.element.contains(document.activeElement)) this.element.querySelector<HTMLElement>('.detail__back')?.focus();
  }

  close(): void {
    const item = this.current;
    if (!item) return;
    this.current = undefined;
    this.element.hidden = true;
    this.element.replaceChildren();
    this.events.closed(item);
  }

  private build(strings: GalleryStrings, language: string, item: GalleryItem): HTMLElement[] {
    const titleId = 'detail-title';
    this.element.setAttribute('aria-labelledby', titleId);

    const header = el('header', 'detail__header');
    const back = button('icon-button detail__back', 'arrow-left', strings.closeDetails, () => this.close(), { iconOnly: true });
    const title = el('h2', 'detail__title', item.name);
    title.id = titleId;
    title.title = item.name;
    header.append(back, title);

    const preview = el('div', 'detail__preview');
    const img = el('img');
    img.alt = item.prompt ?? item.name;
    img.decoding = 'async';
    img.src = item.src;
    img.addEventListener('error', () => preview.replaceChildren(icon('file-media'), el('p', undefined, strings.thumbnailFailed)), { once: true });
    preview.append(img);

    const actions = el('div', 'detail__actions');
    actions.setAttribute('role', 'toolbar');
    actions.setAttribute('aria-label', strings.details);
    const hasRecord = item.prompt !== undefined;
    for (const action of ACTION_ORDER) {
      if (!hasRecord && RECORD_ACTIONS.includes(action)) continue;
      const className = `action${action === 'open' ? ' action--primary' : ''}${action === 'delete' ? ' action--danger' : ''}`;
      actions.append(button(className, ACTION_ICONS[action], strings[action], () => this.events.action(action, item)));
    }

    return [header, preview, actions, this.facts(strings, language, item)];
  }

  private facts(strings: GalleryStrings, language: string, item: GalleryItem): HTMLElement {
    const body = el('div', 'detail__body');
    if (item.prompt !== undefined) {
      // dir=auto + unicode-bidi: isolate (gallery.css): bidi controls in metadata reorder only their own text.
      const prompt = el('p', 'detail__prompt', item.prompt);
      prompt.dir = 'auto';
      body.append(el('h3', 'detail__label', strings.prompt), prompt);
      if (item.negativePrompt) {
        const negative = el('p', 'detail__prompt detail__prompt--negative', item.negativePrompt);
        negative.dir = 'auto';
        body.append(el('h3', 'detail__label', strings.negativePrompt), negative);
      }
    } else {
      const note = el('p', 'detail__note');
      note.append(icon('info'), el('span', undefined, strings.noRecord));
      body.append(note);
    }
    const list = el('dl', 'facts');
    const fact = (label: string, value: string | undefined, code = false): void => {
      if (value === undefined || value === '') return;
      const dd = el('dd');
      if (code) dd.append(el('code', undefined, value));
      else dd.textContent = value;
      list.append(el('dt', undefined, label), dd);
    };
    fact(strings.model, item.modelLabel ?? item.model);
    fact(strings.size, item.size?.replace(':', ' × '));
    fact(strings.dimensions, item.width !== undefined && item.height !== undefined ? `${item.width} × ${item.height} px` : undefined);
    fact(strings.style, item.style);
    fact(strings.seed, item.seed === undefined ? undefined : String(item.seed));
    fact(strings.time, formatTime(item.time, language));
    fact(strings.fileSize, `${formatBytes(item.bytes, language)} · ${item.format.toUpperCase()}`);
    fact(strings.file, `${item.folderName}/${item.relPath}`);
    fact(strings.requestId, item.requestId, true);
    fact(strings.jobId, item.jobId, true);
    fact(strings.aigcLabel, item.hasAigcLabel ? strings.aigcPresent : strings.aigcAbsent);
    body.append(list);
    return body;
  }
}
