import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../../../db/client';
import { openTestDatabase } from '../../../test/support/database';
import { rows } from '../../../test/support/rows';
import { fileSource } from '../../sources/file/source';
import { runIngest } from '../run';
import { countRows, coreSnapshot, writeFixture } from './fixtures';
import { programArgs } from '../../../test/support/programs';

const ROOT = path.join(__dirname, '..', '..', '..');

/** Where the CLI child writes: the test's PostgreSQL database, or a PGlite folder on disk. */
type Target = { env: NodeJS.ProcessEnv; open(): Promise<Database>; cleanup(): Promise<void> };

async function target(dir: string): Promise<Target> {
  const base = { ...process.env, NODE_ENV: 'test', REDIS_URL: '' };
  if (process.env.DATABASE_URL) {
    const database = await openTestDatabase();
    return {
      env: { ...base, DATABASE_URL: database.url },
      open: async () => database,
      cleanup: () => database.close(),
    };
  }
  const pgliteDir = path.join(dir, 'pglite');
  let opened: Database | undefined;
  return {
    env: { ...base, DATABASE_URL: '', PGLITE_DIR: pgliteDir },
    async open() {
      opened = openDatabase({ pgliteDir });
      await opened.migrate();
      return opened;
    },
    cleanup: async () => opened?.close(),
  };
}

/** The compiled CLI in a node process of its own, as `npm run ingest` runs it, with no wrapper that SIGKILL would miss. */
function cli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, programArgs('ingest/cli', args), {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'soldgraph-killed-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an ingest process killed with SIGKILL mid-run', () => {
  it(
    'leaves whole payloads; the next run marks it ABANDONED and ends with exactly the data of one clean run',
    async () => {
      const fixture = await writeFixture(dir, 20, 6);
      const where = await target(dir);
      const clean = await openTestDatabase();
      try {
        await runIngest({ db: clean.db }, fileSource, { path: fixture.listingsCsv });
        await runIngest({ db: clean.db }, fileSource, { path: fixture.salesCsv, chunkLines: 2 });

        const listings = cli(['file', '--path', fixture.listingsCsv], where.env);
        expect(await exited(listings)).toEqual({ code: 0, signal: null });

        const sales = cli(['file', '--path', fixture.salesCsv, '--chunk-lines', '2', '--progress'], where.env);
        const done = exited(sales);
        let stderr = '';
        await new Promise<void>((resolve, reject) => {
          sales.stderr?.on('data', (chunk: Buffer) => {
            stderr += chunk.toString();
            if (/: 3 pages/.test(stderr)) {
              sales.kill('SIGKILL');
              resolve();
            }
          });
          void done.then(() => reject(new Error(`the child ended before it could be killed:\n${stderr}`)));
        });
        expect(await done).toEqual({ code: null, signal: 'SIGKILL' });

        const database = await where.open();
        const [killed] = await rows<{ id: number; status: string; pages: number }>(
          database.db,
          sql`select id, status, pages from ingest_runs where source = 'file' order by id desc limit 1`,
        );
        expect(killed?.status).toBe('RUNNING');
        const totalPages = Math.ceil((fixture.goodSales + 2) / 2);
        expect(killed?.pages).toBeGreaterThanOrEqual(3);
        expect(killed?.pages).toBeLessThan(totalPages);

        // Its process is gone from this host: the next run marks it at once, no heartbeat wait.
        const rerun = await runIngest({ db: database.db }, fileSource, { path: fixture.salesCsv, chunkLines: 2 });
        expect(rerun.status).toBe('SUCCEEDED');
        const [abandoned] = await rows<{ status: string; errors: { code?: string; message: string }[] }>(
          database.db,
          sql`select status, errors from ingest_runs where id = ${killed?.id}`,
        );
        expect(abandoned?.status).toBe('ABANDONED');
        expect(abandoned?.errors.at(-1)).toMatchObject({
          code: 'ABANDONED',
          message: 'its process ended without finishing the run (killed or crashed)',
        });
        expect(await coreSnapshot(database.db)).toEqual(await coreSnapshot(clean.db));
        // Each chunk is stored once, however many runs read it.
        expect(await countRows(database.db, 'staging_raw')).toBe(await countRows(clean.db, 'staging_raw'));
      } finally {
        await clean.close();
        await where.cleanup();
      }
    },
    10 * 60_000,
  ); // real processes on a possibly busy machine: this only bounds a hang
});
