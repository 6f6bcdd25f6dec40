/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The virtualised thumbnail grid.
 *
 * Only the rows that intersect the viewport plus a margin (layout.ts) exist in the DOM, and a
 * thumbnail is requested only when its cell is created, so a folder of thousands of images costs
 * a few dozen small canvases (thumbnail.ts). Cells in view load with high fetch priority, the
 * margin's with low, so the first screen is not slowed by images nobody sees yet.
 *
 * Keyboard: the grid is one tab stop (a listbox, the active option named by
 * aria-activedescendant, so focus never sits on a cell that scrolling may remove). Arrow keys,
 * PageUp/PageDown and Home/End move; Enter opens; Space shows the details; Delete asks to delete.
 * A click makes the cell active and shows its details.
 */
import type { GalleryItem, RenderedGalleryItem } from '../../shared/gallery-protocol';
import { el, icon } from './dom';
import { excerpt } from './format';
import { encodeForCache, type LoadedThumbnail, requestThumbnail, type ThumbnailRequest } from './thumbnail';
import { cellPosition, type GridKey, type GridLayout, gridLayout, isInView, moveActive, rangeInView, scrollToReveal } from './layout';

export interface GridEvents {
  /** Enter on the active cell. */
  open(item: GalleryItem): void;
  /** Space on the active cell, or a click. */
  details(item: GalleryItem): void;
  /** Delete (or Backspace, the Mac delete key) on the active cell. */
  delete(item: GalleryItem): void;
  /** The active cell changed (the page keeps it in its saved state). */
  activeChanged(item: GalleryItem | undefined): void;
  /** A thumbnail was made from the full image: PNG bytes for the host's cache. */
  thumbnailMade(item: GalleryItem, png: Uint8Array): void;
}

interface Cell {
  readonly node: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  /** The item as rendered: a changed item (same file rewritten) gets a new cell. */
  readonly key: string;
  readonly item: GalleryItem;
  /** The thumbnail load, until it settles. */
  request: ThumbnailRequest | undefined;
  /** The canvas's side in device pixels. */
  readonly side: number;
  /** Settles when the thumbnail is drawn or has failed. */
  readonly settled: Promise<void>;
  state: 'loading' | 'loaded' | 'failed';
  /** Drawn from the host's cached thumbnail. */
  fromCache: boolean;
}

/** Counts for the metrics message and the benchmark. */
export interface ThumbnailCounts {
  requested: number;
  loaded: number;
  /** Of those loaded, how many came from the host's thumbnail cache. */
  fromCache: number;
}

const NAV_KEYS = new Set<string>(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

function itemKey(item: GalleryItem): string {
  return `${item.src}\n${item.time}\n${item.bytes}\n${item.prompt ?? ''}`;
}

/** The hover text of a cell: the prompt (as text: a title attribute is never parsed), or the file name. */
export function hoverText(item: GalleryItem): string {
  return item.prompt ? item.prompt : item.name;
}

export class VirtualGrid {
  readonly element = el('div', 'grid');
  private readonly spacer = el('div', 'grid__spacer');
  private items: GalleryItem[] = [];
  private indexById = new Map<string, number>();
  private readonly cells = new Map<string, Cell>();
  private layout: GridLayout = gridLayout(0, 0);
  private active = -1;
  private frame = 0;
  private nextDomId = 1;
  private failedLabel = '';
  readonly counts: ThumbnailCounts = { requested: 0, loaded: 0, fromCache: 0 };
  /** Called after every render and whenever a thumbnail finishes (loaded or failed). */
  onChange: (() => void) | undefined;

  constructor(private readonly events: GridEvents) {
    this.element.setAttribute('role', 'listbox');
    this.element.tabIndex = 0;
    this.element.append(this.spacer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('focus', () => {
      // Focus arriving by Tab lands on the last active cell, or the first one in view.
      if (this.items.length === 0) return;
      if (this.active < 0 || !this.cellAt(this.active)) this.setActive(this.firstInView(), false);
      this.element.classList.add('grid--focused');
    });
    this.element.addEventListener('blur', () => this.element.classList.remove('grid--focused'));
    this.element.addEventListener('click', (event) => {
      const node = (event.target as Element | null)?.closest<HTMLElement>('.cell');
      const index = node ? this.indexById.get(node.dataset.id ?? '') : undefined;
      if (index === undefined) return;
      this.setActive(index, false);
      this.element.focus({ preventScroll: true });
      const item = this.items[index];
      if (item) this.events.details(item);
    });
    // The width decides the columns: re-lay out when the sidebar is resized.
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  /** Labels for screen readers and the text of a failed thumbnail, in the user's language. */
  setLabels(gridLabel: string, hintId: string, failedLabel: string): void {
    this.element.setAttribute('aria-label', gridLabel);
    this.element.setAttribute('aria-describedby', hintId);
    this.failedLabel = failedLabel;
  }

  /**
   * Shows `items` in the order given. The active cell follows its item when it is still in the list
   * (a live update), else stays at the same position; `resetScroll` (a new search) goes to the top.
   */
  setItems(items: readonly GalleryItem[], { resetScroll = false, activeId }: { resetScroll?: boolean; activeId?: string } = {}): void {
    const previousActiveId = activeId ?? this.items[this.active]?.id;
    this.items = [...items];
    this.indexById = new Map(this.items.map((item, index) => [item.id, index]));
    for (const [id, cell] of this.cells) {
      const index = this.indexById.get(id);
      if (index === undefined || this.items[index] === undefined || itemKey(this.items[index]) !== cell.key) this.removeCell(id);
    }
    const follow = previousActiveId === undefined ? undefined : this.indexById.get(previousActiveId);
    this.active = resetScroll ? (this.items.length > 0 ? 0 : -1) : (follow ?? Math.min(this.active, this.items.length - 1));
    if (resetScroll) this.element.scrollTop = 0;
    this.render();
    this.events.activeChanged(this.items[this.active]);
  }

  get activeItem(): GalleryItem | undefined {
    return this.items[this.active];
  }

  get scrollTop(): number {
    return this.element.scrollTop;
  }

  set scrollTop(value: number) {
    this.element.scrollTop = value;
    this.render();
  }

  /** Makes the item with `id` active and scrolls it into view (after the detail view closes). */
  focusItem(id: string): void {
    const index = this.indexById.get(id);
    if (index !== undefined) this.setActive(index, true);
    this.element.focus({ preventScroll: true });
  }

  /** What the DOM holds now, in screen order (for the host's tests). */
  rendered(): RenderedGalleryItem[] {
    const top = this.viewTop();
    const height = this.element.clientHeight;
    return [...this.cells.values()]
      .map((cell) => ({ cell, index: this.indexById.get(cell.item.id) ?? 0 }))
      .sort((a, b) => a.index - b.index)
      .map(({ cell, index }) => ({
        id: cell.item.id,
        prompt: cell.node.title,
        visible: isInView(this.layout, index, top, height),
        thumbnailLoaded: cell.state === 'loaded',
        thumbnailFromCache: cell.fromCache,
      }));
  }

  /** One promise per cell in view now, settling when its thumbnail is drawn or failed (the first screen, right after the first render). */
  thumbnailsInView(): Promise<void>[] {
    const top = this.viewTop();
    const height = this.element.clientHeight;
    return [...this.cells.values()].filter((cell) => isInView(this.layout, this.indexById.get(cell.item.id) ?? 0, top, height)).map((cell) => cell.settled);
  }

  get domCells(): number {
    return this.cells.size;
  }

  /** Lays out and creates/removes cells for the current scroll position (also called by the owner after it shows the grid). */
  render(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const width = this.spacer.clientWidth;
    if (width === 0) return; // hidden: laid out when shown (the ResizeObserver fires then)
    this.layout = gridLayout(width, this.items.length);
    this.spacer.style.height = `${this.layout.height}px`;
    const top = this.viewTop();
    const height = this.element.clientHeight;
    const { start, end } = rangeInView(this.layout, this.items.length, top, height);
    const keep = new Set<string>();
    for (let index = start; index < end; index++) {
      const item = this.items[index];
      if (!item) continue;
      keep.add(item.id);
      const cell = this.cells.get(item.id) ?? this.createCell(item, isInView(this.layout, index, top, height), this.layout.cell);
      this.place(cell, index);
    }
    for (const id of [...this.cells.keys()]) if (!keep.has(id)) this.removeCell(id);
    this.updateActiveDescendant();
    this.onChange?.();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  /** scrollTop relative to the spacer (the grid has padding above it). */
  private viewTop(): number {
    return Math.max(0, this.element.scrollTop - this.spacer.offsetTop);
  }

  private createCell(item: GalleryItem, inView: boolean, side: number): Cell {
    const node = el('div', 'cell');
    node.id = `gallery-cell-${this.nextDomId++}`;
    node.dataset.id = item.id;
    node.setAttribute('role', 'option');
    node.setAttribute('aria-selected', 'false');
    node.setAttribute('aria-label', item.prompt ? excerpt(item.prompt) : item.name);
    node.title = hoverText(item);
    const canvas = el('canvas', 'cell__thumb');
    canvas.setAttribute('aria-hidden', 'true');
    node.append(canvas);
    // Device pixels, so thumbnails are sharp on high-density screens; the first screen first.
    const pixels = Math.ceil(side * (window.devicePixelRatio || 1));
    const request = requestThumbnail(item, pixels, inView ? 'high' : 'low');
    this.counts.requested++;
    const cell: Cell = {
      node,
      canvas,
      key: itemKey(item),
      item,
      request,
      side: pixels,
      state: 'loading',
      fromCache: false,
      settled: request.loaded.then(
        (loaded) => this.draw(cell, loaded),
        () => this.fail(cell),
      ),
    };
    this.cells.set(item.id, cell);
    this.spacer.append(node);
    return cell;
  }

  private draw(cell: Cell, { bitmap, fromFullImage }: LoadedThumbnail): void {
    cell.request = undefined;
    // Decoded at all: worth keeping even when the cell scrolled away meanwhile.
    const encoded = fromFullImage ? encodeForCache(bitmap) : undefined;
    void encoded?.then((png) => png && this.events.thumbnailMade(cell.item, png));
    if (this.cells.get(cell.item.id) !== cell) {
      bitmap.close(); // scrolled away while loading
      return;
    }
    // A bitmap made big enough to cache is drawn down to the cell's own pixels.
    const side = Math.min(cell.side, bitmap.width);
    cell.canvas.width = side;
    cell.canvas.height = side;
    cell.canvas.getContext('2d')?.drawImage(bitmap, 0, 0, side, side);
    bitmap.close();
    cell.state = 'loaded';
    this.counts.loaded++;
    cell.fromCache = !fromFullImage;
    if (cell.fromCache) this.counts.fromCache++;
    cell.node.classList.add('cell--loaded');
    this.onChange?.();
  }

  private fail(cell: Cell): void {
    const cancelled = this.cells.get(cell.item.id) !== cell;
    cell.request = undefined;
    if (cancelled) return;
    cell.state = 'failed';
    cell.node.classList.add('cell--failed');
    cell.node.append(icon('file-media'));
    cell.node.title = `${cell.node.title}\n${this.failedLabel}`;
    this.onChange?.();
  }

  private place(cell: Cell, index: number): void {
    const { x, y } = cellPosition(this.layout, index);
    // CSSOM, not a style attribute: the CSP allows no inline styles.
    cell.node.style.transform = `translate(${x}px, ${y}px)`;
    cell.node.style.width = cell.node.style.height = `${this.layout.cell}px`;
    cell.node.setAttribute('aria-setsize', String(this.items.length));
    cell.node.setAttribute('aria-posinset', String(index + 1));
  }

  private removeCell(id: string): void {
    const cell = this.cells.get(id);
    if (!cell) return;
    this.cells.delete(id);
    cell.request?.cancel();
    cell.node.remove();
  }

  private cellAt(index: number): Cell | undefined {
    const item = this.items[index];
    return item && this.cells.get(item.id);
  }

  private firstInView(): number {
    const top = this.viewTop();
    const index = Math.floor(top / this.layout.rowHeight) * this.layout.columns;
    return Math.min(index, this.items.length - 1);
  }

  private setActive(index: number, reveal: boolean): void {
    if (index < 0 || index >= this.items.length) return;
    const changed = index !== this.active;
    this.active = index;
    if (reveal) {
      const top = this.viewTop();
      const target = scrollToReveal(this.layout, index, top, this.element.clientHeight);
      if (target !== top) this.element.scrollTop = target === 0 ? 0 : target + this.spacer.offsetTop;
      this.render();
    } else {
      this.updateActiveDescendant();
    }
    if (changed) this.events.activeChanged(this.items[index]);
  }

  private updateActiveDescendant(): void {
    const activeCell = this.cellAt(this.active);
    for (const cell of this.cells.values()) {
      const isActive = cell === activeCell;
      cell.node.classList.toggle('cell--active', isActive);
      cell.node.setAttribute('aria-selected', String(isActive));
    }
    if (activeCell) this.element.setAttribute('aria-activedescendant', activeCell.node.id);
    else this.element.removeAttribute('aria-activedescendant');
  }

  private onKey(event: KeyboardEvent): void {
    if (event.altKey || event.metaKey) return;
    const item = this.items[this.active];
    if (NAV_KEYS.has(event.key)) {
      event.preventDefault();
      const next = moveActive(this.layout, this.items.length, this.active, event.key as GridKey, this.element.clientHeight);
      this.setActive(next, true);
      return;
    }
    if (!item) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.events.open(item);
    } else if (event.key === ' ') {
      event.preventDefault();
      this.events.details(item);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      this.events.delete(item);
    }
  }
}
