// Real file-system conditions for the fault tests: a folder on a full file system and a read-only
// folder. Both are real mounts (tmpfs) where the tests run as root with CAP_SYS_ADMIN (the
// development machine, CI containers started with it), so the extension meets the kernel's own
// ENOSPC and EROFS. A plain chmod does not stop root, so as root only a mount (or `chattr +i`)
// makes a folder read-only; as another user, chmod 555 is the real condition. Where none of these
// is possible a FileSystemUnavailable error says why, and the test skips with that reason.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class FileSystemUnavailable extends Error {}

export interface PreparedFolder {
  /** How the condition was made (for the test's title and report). */
  readonly method: string;
  /** Puts the folder back as an ordinary folder and removes it. */
  restore(): Promise<void>;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function mountTmpfs(dir: string, options: string): Promise<void> {
  try {
    await run('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  } catch (error) {
    throw new FileSystemUnavailable(`mount -t tmpfs is not permitted here: ${(error as Error).message.split('\n')[0]}`);
  }
}

async function unmount(dir: string): Promise<void> {
  try {
    await run('umount', [dir]);
  } catch {
    // Still busy (a handle the extension host has not closed yet): detach it now, freed when idle.
    await run('umount', ['-l', dir]);
  }
}

/**
 * `dir` (created) becomes the mount point of a tiny tmpfs filled to the last byte by `ballast`:
 * any further write fails with ENOSPC. The ballast file is left in place (the test compares
 * before/after listings).
 */
export async function fullFolder(dir: string, ballast = '.ballast'): Promise<PreparedFolder> {
  if (!isRoot()) throw new FileSystemUnavailable('only root can mount a small tmpfs to fill');
  fs.mkdirSync(dir, { recursive: true });
  await mountTmpfs(dir, 'size=64k,mode=0755');
  const filler = fs.openSync(path.join(dir, ballast), 'w');
  try {
    const block = Buffer.alloc(4096, 0x5a);
    for (;;) fs.writeSync(filler, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') {
      fs.closeSync(filler);
      await unmount(dir);
      throw error;
    }
  }
  fs.closeSync(filler);
  return {
    method: 'a 64 KB tmpfs filled up',
    restore: async () => {
      await unmount(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `dir` (created) becomes read-only for this process: a read-only tmpfs as root, chmod 555 otherwise. */
export async function readOnlyFolder(dir: string): Promise<PreparedFolder> {
  fs.mkdirSync(dir, { recursive: true });
  if (!isRoot()) {
    fs.chmodSync(dir, 0o555);
    return {
      method: 'chmod 555 (not root)',
      restore: async () => {
        fs.chmodSync(dir, 0o755);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  try {
    await mountTmpfs(dir, 'ro,size=64k,mode=0755');
    return {
      method: 'a read-only tmpfs mount',
      restore: async () => {
        await unmount(dir);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (mountError) {
    try {
      await run('chattr', ['+i', dir]);
    } catch {
      throw mountError;
    }
    return {
      method: 'chattr +i',
      restore: async () => {
        await run('chattr', ['-i', dir]);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
