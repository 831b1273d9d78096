import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/domain/clock.js';
import { startEmbeddedDynamo } from '../../src/store/embedded.js';
import { startTestStore } from '../helpers/store.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hikeshi-store-'));
  dirs.push(dir);
  return dir;
}

describe('embedded store persistence', () => {
  it('keeps data across a restart on the same directory in the same process', async () => {
    const dataDir = await tempDir();
    const clock = createManualClock();

    const first = await startTestStore({ dataDir, clock });
    expect(first.endpoint).toBeUndefined(); // the app's store opens no port (issue 17)
    expect(await first.dedup.claim('delivery-1', 3600)).toBe(true);
    await first.responders.save('default', [{ userId: 'U1', phone: '+819012340001', priority: 1 }], 0);
    const n = await first.incidents.nextNumber();
    await first.close();

    const second = await startTestStore({ dataDir, clock });
    try {
      expect(await second.dedup.claim('delivery-1', 3600)).toBe(false);
      expect(await second.responders.get('default')).toMatchObject({
        version: 1,
        responders: [{ userId: 'U1' }],
      });
      expect(await second.incidents.nextNumber()).toBe(n + 1);
    } finally {
      await second.close();
    }
  });

  it('stores LevelDB under <dataDir>/dynamodb and can close twice', async () => {
    const dataDir = await tempDir();
    const dynamo = await startEmbeddedDynamo({ dataDir });
    await dynamo.close();
    await dynamo.close();
    expect(await readdir(join(dataDir, 'dynamodb'))).toContain('CURRENT');
  });
});
