/**
 * The name of a cached gallery thumbnail: a hash of the image's id (its URI string), mtime and
 * size, so a file that is rewritten or touched gets a new thumbnail and the old one is simply no
 * longer asked for (then pruned). Hex only: safe as a file name on every OS, and it says nothing
 * about the workspace's paths to someone who looks into the storage folder.
 */
import { createHash } from 'node:crypto';
import type { FileFacts } from './entry';

/** 32 hex digits (128 bits of SHA-256): collisions between files are not a practical concern. */
export function thumbnailKey(facts: Pick<FileFacts, 'id' | 'mtime' | 'size'>): string {
  return createHash('sha256').update(`${facts.id}\n${facts.mtime}\n${facts.size}`).digest('hex').slice(0, 32);
}

/** The file name of the thumbnail with `key`, and the key back from a file name (undefined for anything else). */
export const thumbnailFileName = (key: string): string => `${key}.png`;
export function keyOfThumbnailFile(name: string): string | undefined {
  return /^([0-9a-f]{32})\.png$/.exec(name)?.[1];
}
