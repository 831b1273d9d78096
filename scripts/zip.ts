/**
 * Zip archives for the Lambda artifacts (scripts/build-lambda.ts). The `zip` CLI is used when it is installed;
 * otherwise `writeZip` writes the archive itself: deflate from node:zlib and the plain ZIP layout (local
 * headers, central directory, end record; no ZIP64, so each file and the archive stay under 4 GB).
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

// A fixed timestamp (1980-01-01 00:00, the DOS epoch) makes archives byte-for-byte reproducible.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
// Made by Unix (3) so the mode below counts: regular file, rw-r--r--, readable by the Lambda runtime user.
const MADE_BY = (3 << 8) | 20;
const UNIX_FILE_MODE = 0o100644;

/** The archive's bytes: each entry deflated (or stored, when deflate does not help). */
export function zipBytes(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const stored = deflated.length >= entry.data.length;
    const body = stored ? entry.data : deflated;
    const crc = crc32(entry.data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY, 4);
    local.copy(central, 6, 4, 30); // version needed … name length: the same fields as the local header
    central.writeUInt16LE(0, 30); // extra field length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((UNIX_FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export async function writeZip(path: string, entries: readonly ZipEntry[]): Promise<void> {
  await writeFile(path, zipBytes(entries));
}

const run = promisify(execFile);

/** Whether the `zip` command is installed. */
export async function hasZipCli(): Promise<boolean> {
  try {
    await run('zip', ['-v']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Zips files that are already on disk under `dir`, each stored under its path relative to `dir` (`names`, with
 * `/`, as a Lambda function's chunks sit beside its entry), with the `zip` CLI when `useCli`, else with
 * `writeZip`. `-X` leaves out extra attributes (uid/gid, timestamps), `-9` compresses most, `-D` adds no
 * directory entries.
 */
export async function zipFiles(
  path: string,
  dir: string,
  names: readonly string[],
  useCli: boolean,
): Promise<'zip-cli' | 'node'> {
  const zipPath = resolve(path);
  await rm(zipPath, { force: true });
  if (useCli) {
    await run('zip', ['-X', '-9', '-D', '-q', zipPath, ...names], { cwd: dir });
    return 'zip-cli';
  }
  const entries = await Promise.all(
    names.map(async (name) => ({ name: name.split(sep).join('/'), data: await readFile(join(dir, name)) })),
  );
  await writeZip(zipPath, entries);
  return 'node';
}
