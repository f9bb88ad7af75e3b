import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type Database, openDatabase } from '../../db/client';

/**
 * A migrated database of its own for one test file: a fresh PostgreSQL database when
 * DATABASE_URL is set (dropped afterwards), an in-memory PGlite otherwise.
 */
export async function openTestDatabase(poolMax = 5): Promise<Database & { url?: string }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const database = openDatabase({ pgliteDir: 'memory://' });
    await database.migrate();
    return database;
  }
  const name = `soldgraph_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = openDatabase({ databaseUrl: url.toString(), pgliteDir: 'memory://', poolMax });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Runs `work` on a connection of its own to `url`, closed afterwards. */
export async function withAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
