/**
 * The geometry of the virtualised grid (pure, no DOM: unit tests run it in Node).
 *
 * Cells are squares laid out in rows; the page keeps in its DOM only the rows that intersect the
 * viewport plus MARGIN_ROWS above and below, and positions them absolutely inside a spacer as tall
 * as all rows. Everything here is derived from the viewport's width, height and scroll offset.
 */

/** Smallest cell side, px: three columns in a sidebar of a usual width, more when it is wider. */
export const MIN_CELL = 84;
/** Space between cells, px. */
export const GAP = 4;
/** Rows kept above and below the viewport, so a short scroll shows images that are already there. */
export const MARGIN_ROWS = 1;

export interface GridLayout {
  readonly columns: number;
  /** Cell side, px (fills the width exactly). */
  readonly cell: number;
  /** Distance between the tops of two rows, px. */
  readonly rowHeight: number;
  readonly rows: number;
  /** Height of the whole grid, px. */
  readonly height: number;
}

export function gridLayout(width: number, count: number): GridLayout {
  const usable = Math.max(MIN_CELL, width);
  const columns = Math.max(1, Math.floor((usable + GAP) / (MIN_CELL + GAP)));
  const cell = Math.floor((usable - (columns - 1) * GAP) / columns);
  const rowHeight = cell + GAP;
  const rows = Math.ceil(count / columns);
  return { columns, cell, rowHeight, rows, height: rows === 0 ? 0 : rows * rowHeight - GAP };
}

/** Indexes [start, end) of the items whose rows intersect [scrollTop, scrollTop + viewHeight), widened by `marginRows`. */
export function rangeInView(layout: GridLayout, count: number, scrollTop: number, viewHeight: number, marginRows = MARGIN_ROWS): { start: number; end: number } {
  if (count === 0 || layout.rows === 0) return { start: 0, end: 0 };
  const firstRow = Math.max(0, Math.floor(scrollTop / layout.rowHeight) - marginRows);
  const lastRow = Math.min(layout.rows - 1, Math.floor((scrollTop + Math.max(1, viewHeight) - 1) / layout.rowHeight) + marginRows);
  return { start: firstRow * layout.columns, end: Math.min(count, (lastRow + 1) * layout.columns) };
}

/** Top-left corner of item `index`, px from the grid's origin. */
export function cellPosition(layout: GridLayout, index: number): { x: number; y: number } {
  const row = Math.floor(index / layout.columns);
  const column = index % layout.columns;
  return { x: column * (layout.cell + GAP), y: row * layout.rowHeight };
}

/** True when any part of item `index` is inside [scrollTop, scrollTop + viewHeight). */
export function isInView(layout: GridLayout, index: number, scrollTop: number, viewHeight: number): boolean {
  const { y } = cellPosition(layout, index);
  return y < scrollTop + viewHeight && y + layout.cell > scrollTop;
}

/** The scrollTop that brings item `index` fully into view with the least movement (the current one when it already is). */
export function scrollToReveal(layout: GridLayout, index: number, scrollTop: number, viewHeight: number): number {
  const { y } = cellPosition(layout, index);
  if (y < scrollTop) return y;
  if (y + layout.cell > scrollTop + viewHeight) return Math.max(0, y + layout.cell - viewHeight);
  return scrollTop;
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

/**
 * Where a navigation key moves the active item. Left/Right step through the list in reading
 * order (wrapping across rows), Up/Down move a row and stay put at the edges, PageUp/PageDown move
 * a screenful of rows, Home/End (with or without Ctrl) go to the first/last item.
 */
export function moveActive(layout: GridLayout, count: number, active: number, key: GridKey, viewHeight: number): number {
  if (count === 0) return -1;
  const last = count - 1;
  const current = Math.min(Math.max(active, 0), last);
  const pageRows = Math.max(1, Math.floor(viewHeight / layout.rowHeight));
  switch (key) {
    case 'ArrowLeft':
      return Math.max(0, current - 1);
    case 'ArrowRight':
      return Math.min(last, current + 1);
    case 'ArrowUp':
      return current - layout.columns >= 0 ? current - layout.columns : current;
    case 'ArrowDown':
      return current + layout.columns <= last ? current + layout.columns : current;
    case 'PageUp':
      return Math.max(current % layout.columns, current - pageRows * layout.columns);
    case 'PageDown': {
      const target = current + pageRows * layout.columns;
      if (target <= last) return target;
      // The last row may be short: stay in the column when it has a cell there, else the last item.
      const lastRowStart = last - (last % layout.columns);
      return Math.min(last, lastRowStart + (current % layout.columns));
    }
    case 'Home':
      return 0;
    case 'End':
      return last;
  }
}
