import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../client';
import { exitOf, killSpawnedGateways, startGatewayProcess } from '../../test/support/gateway-process';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soldgraph-lock-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await killSpawnedGateways();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('one process per embedded database directory', () => {
  it('refuses a second open in this process until the first closes', async () => {
    const dir = freshDir();
    const first = openDatabase({ pgliteDir: dir });
    await first.migrate();
    expect(() => openDatabase({ pgliteDir: dir })).toThrow(/in use by this process .*corrupt it/);
    await first.close();
    const again = openDatabase({ pgliteDir: dir });
    await again.migrate();
    await again.close();
  });

  it('refuses while a gateway process runs on it, naming that process, and takes over once it is gone', async () => {
    const dir = freshDir();
    const gateway = await startGatewayProcess({ PGLITE_DIR: dir, SEED_ON_EMPTY: 'false' });
    expect(() => openDatabase({ pgliteDir: dir })).toThrow(
      new RegExp(`in use by process ${gateway.child.pid} \\(.*gateway/main\\.js`),
    );
    // Killed without a chance to clean up: the lock stays behind, and its process is gone.
    gateway.child.kill('SIGKILL');
    await exitOf(gateway.child);
    const after = openDatabase({ pgliteDir: dir });
    await after.migrate();
    await after.close();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'soldgraph.lock'), '2147483646\nnpm run ingest\n');
    const database = openDatabase({ pgliteDir: dir });
    await database.migrate();
    await database.close();
  });
});
