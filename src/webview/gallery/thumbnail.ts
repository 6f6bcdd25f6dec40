/// <reference lib="dom" />
/**
 * Thumbnails as small bitmaps. An <img> of a 1024×1024 file shown in a 90-pixel cell keeps the
 * whole decoded picture (4 MB) for as long as it is on screen, and every repaint while scrolling
 * scales it down again. Here each file is decoded once, its centre square scaled down
 * (createImageBitmap), drawn into a <canvas>, and the full-size decode let go: a screen of
 * thumbnails holds about 1 MB of pixels instead of 100 MB (measured: test/bench/gallery.ts).
 *
 * Decoding full images is most of the first screen's time, so a thumbnail made from one is also
 * encoded as a small PNG (CACHE_SIDE square) for the host's cache (`thumbnail` message); the next
 * time the item comes with `thumb` and only that small file is decoded. A cached thumbnail that
 * cannot be loaded (deleted meanwhile) falls back to the full image.
 * Needs nothing beyond the CSP's img-src: no blob: URL (the PNG is read from the Blob directly), no fetch.
 */
import { type GalleryItem, MAX_THUMBNAIL_BYTES, MAX_THUMBNAIL_SIDE } from '../../shared/gallery-protocol';

/** Side of a cached thumbnail, px: sharp in cells up to 128 CSS px at 2× (the grid's cells are 84 px and up). */
export const CACHE_SIDE = 256;

export interface LoadedThumbnail {
  readonly bitmap: ImageBitmap;
  /** Decoded from the full image (so worth caching), not from the cached thumbnail. */
  readonly fromFullImage: boolean;
}

export interface ThumbnailRequest {
  /** Started a load that can be dropped (the cell scrolled away). */
  readonly loaded: Promise<LoadedThumbnail>;
  cancel(): void;
}

/** Loads `src` as a bitmap of its centre square (cover, like object-fit), at most `side` square. */
function loadSquare(src: string, side: number, priority: 'high' | 'low', isCancelled: () => boolean, track: (img: HTMLImageElement) => void): Promise<ImageBitmap> {
  const img = new Image();
  img.decoding = 'async';
  img.fetchPriority = priority;
  img.src = src;
  track(img);
  return img.decode().then(async () => {
    if (isCancelled()) throw new Error('cancelled');
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
}

/**
 * The thumbnail of `item` for a cell of `side` device pixels: its cached thumbnail when the host
 * has one, else the full image (then at least CACHE_SIDE, so the result can be cached).
 */
export function requestThumbnail(item: Pick<GalleryItem, 'src' | 'thumb'>, side: number, priority: 'high' | 'low'): ThumbnailRequest {
  let cancelled = false;
  let current: HTMLImageElement | undefined;
  const isCancelled = () => cancelled;
  const track = (img: HTMLImageElement) => (current = img);
  const full = async (): Promise<LoadedThumbnail> => ({
    bitmap: await loadSquare(item.src, Math.min(MAX_THUMBNAIL_SIDE, Math.max(side, CACHE_SIDE)), priority, isCancelled, track),
    fromFullImage: true,
  });
  const loaded =
    item.thumb === undefined
      ? full()
      : loadSquare(item.thumb, side, priority, isCancelled, track).then(
          (bitmap) => ({ bitmap, fromFullImage: false }),
          () => {
            if (cancelled) throw new Error('cancelled');
            return full();
          },
        );
  return {
    loaded,
    cancel: () => {
      cancelled = true;
      // Dropping src cancels a download still in flight.
      current?.removeAttribute('src');
    },
  };
}

/**
 * Copies `bitmap` (call before closing it) and encodes the copy as PNG for the host's cache, off the
 * drawing path; undefined when the encoder fails or the PNG is bigger than the protocol allows.
 */
export function encodeForCache(bitmap: ImageBitmap): Promise<Uint8Array | undefined> {
  const side = Math.min(CACHE_SIDE, bitmap.width, bitmap.height);
  const canvas = new OffscreenCanvas(side, side);
  const context = canvas.getContext('2d');
  if (!context) return Promise.resolve(undefined);
  context.drawImage(bitmap, 0, 0, side, side);
  return canvas
    .convertToBlob({ type: 'image/png' })
    .then(async (blob) => (blob.size <= MAX_THUMBNAIL_BYTES ? new Uint8Array(await blob.arrayBuffer()) : undefined))
    .catch(() => undefined);
}
