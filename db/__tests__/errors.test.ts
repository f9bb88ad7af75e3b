import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../../test/support/database';
import { openDatabase } from '../client';
import { describeError } from '../errors';
import { seedDemoData } from '../seed/load';
import { programArgs } from '../../test/support/programs';

const root = path.resolve(__dirname, '../..');
const onPostgres = process.env.DATABASE_URL ? it : it.skip;

describe('describeError', () => {
  it("gives PostgreSQL's reason, SQLSTATE, detail and hint instead of Drizzle's SQL dump", () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "products_pkey"'), {
      code: '23505',
      detail: 'Key (id)=(1) already exists.',
    });
    const wrapped = new Error('Failed query: insert into "products" ... params: 1,2,3', { cause });
    expect(describeError(wrapped)).toBe(
      'duplicate key value violates unique constraint "products_pkey" (SQLSTATE 23505): Key (id)=(1) already exists.',
    );
  });

  it('describes what a Failed query wraps when that is not PostgreSQL', () => {
    const wrapped = new Error('Failed query: select 1', { cause: new Error('connect ECONNREFUSED 127.0.0.1:5432') });
    expect(describeError(wrapped)).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(describeError(new Error('plain'))).toBe('plain');
  });
});

describe('the CLIs on a database error', () => {
  it("print PostgreSQL's reason with its SQLSTATE, never the SQL", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'soldgraph-cli-error-'));
    try {
      // February 30th passes JavaScript's lenient date parsing; PostgreSQL refuses it.
      const run = spawnSync(process.execPath, programArgs('db/cli/mart', ['refresh', '2026-02-30']), {
        cwd: root,
        env: { ...process.env, DATABASE_URL: '', PGLITE_DIR: dataDir },
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe('date/time field value out of range: "2026-02-30" (SQLSTATE 22008)');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('statement timeouts', () => {
  onPostgres('bound every statement of a pool that sets one', async () => {
    const test = await openTestDatabase();
    const bounded = openDatabase({ databaseUrl: test.url, pgliteDir: 'memory://', poolMax: 2, statementTimeoutMs: 50 });
    try {
      const failure = await bounded.db.execute(sql`select pg_sleep(0.5)`).catch((error: unknown) => error);
      expect(describeError(failure)).toBe('canceling statement due to statement timeout (SQLSTATE 57014)');
    } finally {
      await bounded.close();
      await test.close();
    }
  });

  onPostgres('let a seed and its mart rebuild run as long as they take, whatever the pool sets', async () => {
    const test = await openTestDatabase();
    // 5 ms: the seed's inserts and rollups take longer; they lift the bound in their transaction.
    const bounded = openDatabase({ databaseUrl: test.url, pgliteDir: 'memory://', poolMax: 2, statementTimeoutMs: 5 });
    try {
      const counts = await seedDemoData(bounded.db, { size: 'small', now: new Date('2026-06-30T00:00:00Z') });
      expect(counts.products).toBeGreaterThan(100);
      const after = await bounded.db.execute(sql`select pg_sleep(0.1)`).catch((error: unknown) => error);
      expect(describeError(after)).toMatch(/SQLSTATE 57014/);
    } finally {
      await bounded.close();
      await test.close();
    }
  });
});
