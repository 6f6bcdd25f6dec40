/**
 * When a result URL stops working, read from the URL itself. Tencent Cloud returns result images as
 * COS presigned URLs, whose `q-sign-time=<start>;<end>` (Unix seconds) is the signature's validity:
 * after `end` COS answers 403. After a reload this is the only precise clue: the job may have
 * finished at any time since its submit, so its URLs may be dead long before submit + lifetime.
 */
import type { ResultImage } from '../providers/types';

/** The end of a COS presigned URL's validity (epoch ms), or undefined for any other URL. */
export function signedUrlExpiry(url: string): number | undefined {
  let signTime: string | null;
  try {
    signTime = new URL(url).searchParams.get('q-sign-time');
  } catch {
    return undefined;
  }
  const match = signTime === null ? null : /^\d+;(\d+)$/.exec(signTime);
  return match ? Number(match[1]) * 1000 : undefined;
}

/** The earliest signed expiry among the URL images of a result, or undefined when none carries one. */
export function earliestSignedExpiry(images: readonly ResultImage[]): number | undefined {
  const ends = images.flatMap((image) => (image.kind === 'url' ? [signedUrlExpiry(image.url)] : [])).filter((end) => end !== undefined);
  return ends.length > 0 ? Math.min(...ends) : undefined;
}
