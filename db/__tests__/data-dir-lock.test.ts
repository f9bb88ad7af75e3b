import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { openDatabase, selectRows } from '../client';
import { exitOf, killSpawnedGateways, startGatewayProcess } from '../../test/support/gateway-process';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soldgraph-lock-'));
  dirs.push(dir);
  return dir;
};
const holders: ChildProcess[] = [];
afterAll(async () => {
  for (const holder of holders) holder.kill('SIGKILL');
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

  it('opens through a gateway process that runs on it, and takes over once it is gone', async () => {
    const dir = freshDir();
    const gateway = await startGatewayProcess({ PGLITE_DIR: dir, SEED_ON_EMPTY: 'false' });
    const through = openDatabase({ pgliteDir: dir });
    expect(through).toMatchObject({ driver: 'postgres', location: expect.stringContaining('shared') });
    expect(await selectRows(through.db, sql`select count(*)::int as n from products`)).toEqual([{ n: 0 }]);
    await through.close();
    // Killed without a chance to clean up: the lock and the address stay behind, and their process is gone.
    gateway.child.kill('SIGKILL');
    await exitOf(gateway.child);
    const after = openDatabase({ pgliteDir: dir });
    expect(after.driver).toBe('pglite');
    await after.migrate();
    await after.close();
  });

  it('refuses while a process that does not share the database holds it, naming that process', async () => {
    const dir = freshDir();
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    holders.push(holder);
    writeFileSync(path.join(dir, 'soldgraph.lock'), `${holder.pid}\nnpm run ingest -- samples\n`);
    expect(() => openDatabase({ pgliteDir: dir })).toThrow(
      new RegExp(`in use by process ${holder.pid} \\(npm run ingest -- samples\\).*While npm start runs`),
    );
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'soldgraph.lock'), '2147483646\nnpm run ingest\n');
    const database = openDatabase({ pgliteDir: dir });
    await database.migrate();
    await database.close();
  });
});
