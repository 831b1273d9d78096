/**
 * Issue 17, A: the embedded store is the app's alone. dynalite accepts any credentials, so a DynamoDB port on
 * loopback gave every local user every table. The check is on the real process (`node --import tsx
 * src/main.ts`): every TCP socket it listens on (its socket inodes in /proc/<pid>/fd, matched to LISTEN rows of
 * /proc/net/tcp and tcp6) is asked ListTables through the real SDK with made-up credentials; none may answer.
 * The same check, run on this process with a dynalite that does listen (tests may ask for one), finds it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../src/store/dynamo.js';
import { startEmbeddedDynamo } from '../../src/store/embedded.js';
import { startAppProcess, type AppProcess } from '../helpers/app-process.js';

interface Listener {
  host: string;
  port: number;
}

/** `0100007F:1F90` (little-endian IPv4) or a 32-hex-digit IPv6 address, as a host to connect to. */
function connectHost(hex: string): string | undefined {
  if (hex.length === 8) {
    const ip = (hex.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16));
    return ip.every((b) => b === 0) ? '127.0.0.1' : ip.join('.');
  }
  if (/^0+$/.test(hex)) return '[::1]'; // `::` takes loopback connections too
  if (hex === '00000000000000000000000001000000') return '[::1]';
  if (hex.startsWith('0000000000000000FFFF0000')) return connectHost(hex.slice(24));
  return undefined; // another interface's address: not reachable from here the same way, and not expected
}

/** Every TCP socket process `pid` listens on. */
async function listeningSockets(pid: number): Promise<Listener[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined) inodes.add(inode);
  }
  const found: Listener[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const rows = (await readFile(table, 'utf8')).split('\n').slice(1);
    for (const row of rows) {
      const fields = row.trim().split(/\s+/);
      const [, local, , state] = fields;
      if (local === undefined || state !== '0A' || !inodes.has(fields[9] ?? '')) continue; // 0A: LISTEN
      const [address = '', port = '0'] = local.split(':');
      const host = connectHost(address);
      if (host === undefined)
        throw new Error(`process ${pid} listens on ${local} (${table}), not on loopback`);
      found.push({ host, port: parseInt(port, 16) });
    }
  }
  return found;
}

/** Whether DynamoDB answers ListTables there, to credentials nobody was given. */
async function servesDynamo({ host, port }: Listener): Promise<boolean> {
  const { client } = createDynamoClients({
    region: 'us-east-1',
    endpoint: `http://${host}:${port}`,
    credentials: {
      accessKeyId: `AKID${randomBytes(8).toString('hex')}`,
      secretAccessKey: randomBytes(20).toString('hex'),
    },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 3_000 }),
  });
  try {
    const answer = await client.send(new ListTablesCommand({}));
    return Array.isArray(answer.TableNames);
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the embedded store has no port', () => {
  it('the check finds a dynalite that listens (tests may ask for one)', async () => {
    const dynamo = await startEmbeddedDynamo({ listen: true });
    cleanups.push(() => dynamo.close());
    const port = Number(new URL(dynamo.endpoint ?? 'http://x:0').port);
    const sockets = await listeningSockets(process.pid);
    const dynalite = sockets.filter((s) => s.port === port);
    expect(dynalite).not.toEqual([]);
    expect(await Promise.all(dynalite.map(servesDynamo))).toContain(true);
  });

  it('after `npm start` starts its store, no TCP port of the process serves DynamoDB', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-private-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const app: AppProcess = await startAppProcess(dataDir);
    cleanups.push(() => app.stop());
    // The store is up: the app answers from it.
    expect((await fetch(`${app.baseUrl}/health`)).status).toBe(200);

    const sockets = await listeningSockets(app.pid);
    // The scan sees the process's own sockets: the HTTP server is one of them.
    expect(sockets.map((s) => s.port)).toContain(Number(new URL(app.baseUrl).port));
    const serving = [];
    for (const socket of sockets) if (await servesDynamo(socket)) serving.push(socket);
    expect(serving).toEqual([]);
  });
});
