import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import type { TestGateway } from './gateway';

/** A hold on the test database that makes the gateway's reads wait; `release` lets them through. */
export type DatabaseHold = {
  /** Backends other than the holder's that wait on it right now (PostgreSQL; 0 on PGlite). */
  waiting(): Promise<number>;
  release(): Promise<void>;
};

/**
 * Makes the gateway's next reads of products wait, as a long migration or ingestion lock would:
 * on PostgreSQL a second connection locks `products` exclusively; on PGlite, which runs one
 * transaction at a time, an open transaction holds the whole database.
 */
export async function holdDatabase(gw: TestGateway): Promise<DatabaseHold> {
  if (gw.databaseUrl) {
    const client = new Client({ connectionString: gw.databaseUrl });
    // The gateway's cancels end other backends when a test fails; that must not crash Jest.
    client.on('error', () => {});
    await client.connect();
    await client.query('begin');
    await client.query('lock table products in access exclusive mode');
    return {
      async waiting() {
        // pg_stat_activity is read once per transaction; the hold's transaction stays open.
        await client.query('select pg_stat_clear_snapshot()');
        const { rows } = await client.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`,
        );
        return Number(rows[0]?.n ?? 0);
      },
      async release() {
        await client.query('rollback');
        await client.end();
      },
    };
  }
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const holding = new Promise<void>((resolve) => (entered = resolve));
  const transaction = gw.database.db.transaction(async (tx) => {
    await tx.execute(sql`select 1`);
    entered();
    await released;
  });
  await holding;
  return {
    waiting: async () => 0,
    async release() {
      release();
      await transaction;
    },
  };
}
