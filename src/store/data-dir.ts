/**
 * The embedded store's directory, checked before LevelDB opens it. A DATA_DIR that cannot hold the store (a
 * file, a read-only mount, a full disk) stops start-up with one line that names the path and the cause,
 * rather than a LevelDB failure at the first request.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, ErrorCode } from '../errors.js';

/** Room the store needs to start (LevelDB's first log and manifest are a few KB), written once and removed. */
const WRITE_CHECK_BYTES = 64 * 1024;

/** Creates `path` (inside `dataDir`) and checks that it takes a write. */
export async function prepareStoreDirectory(dataDir: string, path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw unusableDataDir(dataDir, `creating ${path}`, error);
  }
  const check = join(path, `.write-check-${process.pid}`);
  try {
    await writeFile(check, Buffer.alloc(WRITE_CHECK_BYTES));
  } catch (error) {
    throw unusableDataDir(dataDir, `writing ${check}`, error);
  } finally {
    await rm(check, { force: true }).catch(() => undefined);
  }
}

/** `DATA_DIR /srv/data cannot hold the store: EROFS (read-only file system) writing /srv/data/dynamodb/…`. */
function unusableDataDir(dataDir: string, doing: string, error: unknown): AppError {
  const { code } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown };
  const message = error instanceof Error ? error.message : String(error);
  // Node's messages read `EROFS: read-only file system, open '…'`: the part between the code and the path.
  const reason = /^[A-Z]+: ([^,]+),/.exec(message)?.[1] ?? message;
  const cause = typeof code === 'string' ? `${code} (${reason})` : reason;
  return new AppError(
    ErrorCode.StoreUnavailable,
    `DATA_DIR ${dataDir} cannot hold the store: ${cause} ${doing}`,
    { cause: error, details: { dataDir, ...(typeof code === 'string' ? { code } : {}) } },
  );
}

/** LevelDB would not open the store (e.g. `IO error: lock …/LOCK: already held by process`: another Hikeshi on it). */
export function storeOpenFailed(dataDir: string, path: string, error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  const hint = /\block\b/i.test(message) ? ' (is another Hikeshi process using this DATA_DIR?)' : '';
  return new AppError(
    ErrorCode.StoreUnavailable,
    `DATA_DIR ${dataDir}: the store at ${path} does not open: ${message}${hint}`,
    {
      cause: error,
      details: { dataDir },
    },
  );
}
