/// <reference lib="dom" />
/**
 * Thumbnails as small bitmaps. An <img> of a 1024×1024 file shown in a 90-pixel cell keeps the
 * whole decoded picture (4 MB) for as long as it is on screen, and every repaint while scrolling
 * scales it down again. Here each file is decoded once, its centre square scaled to the cell's
 * device pixels (createImageBitmap), drawn into a <canvas>, and the full-size decode let go: a
 * screen of thumbnails holds about 1 MB of pixels instead of 100 MB (measured: test/bench/gallery.ts).
 * Needs nothing beyond the CSP's img-src: no blob:, no fetch.
 */

export interface ThumbnailRequest {
  /** Started a load that can be dropped (the cell scrolled away). */
  readonly bitmap: Promise<ImageBitmap>;
  cancel(): void;
}

/** Loads `src` as a `side`×`side` bitmap of its centre square (cover, like object-fit). */
export function requestThumbnail(src: string, side: number, priority: 'high' | 'low'): ThumbnailRequest {
  const img = new Image();
  img.decoding = 'async';
  img.fetchPriority = priority;
  img.src = src;
  let cancelled = false;
  const bitmap = img.decode().then(async () => {
    if (cancelled) throw new Error('cancelled');
    const width = img.naturalWidth;
    const height = img.naturalHeight;
    const square = Math.min(width, height);
    const size = Math.max(1, Math.min(side, square));
    try {
      return await createImageBitmap(img, (width - square) / 2, (height - square) / 2, square, square, {
        resizeWidth: size,
        resizeHeight: size,
        resizeQuality: 'medium',
      });
    } finally {
      // Only the small bitmap stays; the full-size decode may go.
      img.removeAttribute('src');
    }
  });
  return {
    bitmap,
    cancel: () => {
      cancelled = true;
      // Dropping src cancels a download still in flight.
      img.removeAttribute('src');
    },
  };
}
