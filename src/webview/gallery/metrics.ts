/// <reference lib="dom" />
/**
 * The first-screen measurement: from the page's time origin (its navigation start) until every
 * thumbnail in view after the first list has loaded or failed. Posted to the host as `metrics`
 * and read by the benchmark (test/bench/gallery.ts).
 */
import type { GalleryMetrics } from '../../shared/gallery-protocol';
import type { VirtualGrid } from './grid';

/** Chromium's non-standard heap figure, when it offers one. */
function jsHeapBytes(): number | undefined {
  const memory = (performance as Performance & { memory?: { usedJSHeapSize?: unknown } }).memory;
  return typeof memory?.usedJSHeapSize === 'number' ? Math.round(memory.usedJSHeapSize) : undefined;
}

/** Call right after the grid rendered its first list, with the time that list arrived. */
export async function measureFirstScreen(grid: VirtualGrid, itemCount: number, itemsReceivedMs: number): Promise<GalleryMetrics> {
  const firstScreen = grid.thumbnailsInView();
  await Promise.all(firstScreen);
  // One frame later the drawn thumbnails are on screen.
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const heap = jsHeapBytes();
  return {
    firstScreenMs: performance.now(),
    itemsReceivedMs,
    itemCount,
    firstScreenCells: firstScreen.length,
    domCells: grid.domCells,
    thumbnailsRequested: grid.counts.requested,
    thumbnailsLoaded: grid.counts.loaded,
    ...(heap !== undefined && { jsHeapBytes: heap }),
  };
}
