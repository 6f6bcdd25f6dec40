/**
 * FileImageSaver: one result image from the cloud to a finished file in the output folder.
 *
 *   1. download (or decode base64) to `.<stem>.part-<random>` beside the target: capped, magic
 *      bytes checked;
 *   2. copy it to a second temporary file with the metadata spliced in (streamed, bounded memory);
 *   3. publish under the first free name `<stem>[-n].<ext>` with a hard link, which fails when the
 *      name exists: choosing the name is atomic, so concurrent saves never overwrite each other,
 *      and the name appears only once the file is complete.
 *
 * On any failure or abort before publishing, every temporary file is removed and nothing exists
 * at the target. Where hard links are not supported (FAT, some network shares), the name is
 * reserved by creating it exclusively ('wx') and the finished file is renamed over it.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dispatcher } from '../tencent/undici';
import type { ImageSaver, SavedImage, SaveImageRequest } from '../jobs/ports';
import { cancelledError } from '../tencent/error-catalog';
import { StudioError } from '../tencent/errors';
import { buildAigcLabel } from './aigc-label';
import { decodeBase64ToFile, DEFAULT_MAX_IMAGE_BYTES, downloadToFile } from './download';
import { planMetadataForFile } from './metadata';
import { candidateFileName, fileStem } from './naming';
import { fileSystemError } from './save-errors';
import { extensionFor } from './signature';
import { copyWithInsertion } from './splice-file';

export interface FileImageSaverOptions {
  /** Largest image accepted, bytes (default 30 MB). */
  readonly maxBytes?: number;
  /** Clock for the file name's timestamp and the expiry check (tests). */
  readonly now?: () => Date;
  /** A proxy agent for downloads. */
  readonly dispatcher?: Dispatcher;
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
}

/** Names tried before giving up: `-2` … `-999` in one second is far beyond any real use. */
const MAX_NAME_ATTEMPTS = 999;
/** link() errors meaning "this file system has no hard links", not "this name is taken". */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export class FileImageSaver implements ImageSaver {
  private readonly now: () => Date;

  constructor(private readonly options: FileImageSaverOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async save(request: SaveImageRequest): Promise<SavedImage> {
    const { directory, signal } = request;
    if (signal?.aborted) throw cancelledError();
    try {
      await mkdir(directory, { recursive: true });
    } catch (error) {
      throw fileSystemError(error, directory);
    }
    const stem = fileStem(request.prompt, this.now());
    const temporaries: string[] = [];
    const temporaryPath = (): string => {
      const path = join(directory, `.${stem}.part-${randomBytes(6).toString('hex')}`);
      temporaries.push(path);
      return path;
    };
    try {
      const downloaded = temporaryPath();
      const limits = { maxBytes: this.options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES, signal };
      if (request.image.kind === 'url') {
        await downloadToFile(request.image.url, downloaded, {
          ...limits,
          expiresAt: request.expiresAt,
          now: () => this.now().getTime(),
          dispatcher: this.options.dispatcher,
          headersTimeoutMs: this.options.headersTimeoutMs,
          bodyTimeoutMs: this.options.bodyTimeoutMs,
        });
      } else {
        await decodeBase64ToFile(request.image.data, downloaded, limits);
      }
      const plan = await planMetadataForFile(downloaded, { record: request.record, label: buildAigcLabel(request.record) });
      const labelled = temporaryPath();
      const bytes = await copyWithInsertion(downloaded, labelled, plan.insertion, signal);
      if (signal?.aborted) throw cancelledError();
      const path = await this.publish(labelled, directory, stem, extensionFor(plan.format));
      return { path, bytes, format: plan.format };
    } catch (error) {
      throw error instanceof StudioError ? error : fileSystemError(error, directory);
    } finally {
      await Promise.all(temporaries.map((path) => rm(path, { force: true })));
    }
  }

  /** Gives the finished temporary file the first free name; never replaces an existing file. */
  private async publish(temporary: string, directory: string, stem: string, extension: string): Promise<string> {
    let hardLinks = true;
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
      const target = join(directory, candidateFileName(stem, extension, attempt));
      try {
        if (hardLinks) {
          await link(temporary, target);
          return target;
        }
        await (await open(target, 'wx')).close();
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'EEXIST') continue;
        if (hardLinks && code !== undefined && NO_HARD_LINKS.has(code)) {
          hardLinks = false;
          attempt--; // the same name again, reserved the other way
          continue;
        }
        throw fileSystemError(error, directory);
      }
      try {
        await rename(temporary, target); // replaces only the empty file we just reserved
        return target;
      } catch (error) {
        await rm(target, { force: true });
        throw fileSystemError(error, directory);
      }
    }
    throw fileSystemError(new Error(`No free file name after ${MAX_NAME_ATTEMPTS} attempts`), directory);
  }
}
