/**
 * Real disk faults for the store: a small tmpfs mounted for one test, which a file can fill (writes then fail
 * with ENOSPC) and which can be remounted read-only (EROFS). Mounting needs root (as on CI); chmod is no
 * substitute, since root ignores permission bits.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether this process may mount file systems (root on Linux). */
export const CAN_MOUNT = process.platform === 'linux' && process.getuid?.() === 0;

export interface Tmpfs {
  path: string;
  /** Writes a file until the file system is full. */
  fill(): Promise<void>;
  /** Deletes what `fill` wrote. */
  free(): Promise<void>;
  remountReadOnly(): void;
  unmount(): Promise<void>;
}

export async function mountTmpfs(sizeMb: number): Promise<Tmpfs> {
  const path = await mkdtemp(join(tmpdir(), 'hikeshi-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', path]);
  const filler = join(path, 'filler');
  return {
    path,
    fill: async () => {
      const file = await open(filler, 'a');
      const chunk = Buffer.alloc(256 * 1024, 1);
      try {
        for (;;) await file.write(chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        await file.close();
      }
    },
    free: () => rm(filler, { force: true }),
    remountReadOnly: () => {
      execFileSync('mount', ['-o', 'remount,ro', path]);
    },
    unmount: async () => {
      // Lazy: a process that still has a file open there (a killed app) does not keep the mount.
      execFileSync('umount', ['-l', path]);
      await rmdir(path);
    },
  };
}
