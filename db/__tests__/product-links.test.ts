import { sql } from 'drizzle-orm';
import { type CliDatabase, cliDatabase, runProgram } from '../../test/support/cli';
import { openTestDatabase } from '../../test/support/database';
import type { Database, Db } from '../client';

let database: Database & { url?: string };
let target: CliDatabase;

/** Two listings of one marketplace each (ids 1 and 2 in a fresh database). */
async function fill(db: Db): Promise<void> {
  await db.execute(
    sql`insert into marketplaces (code, name, default_currency) values ('ebay-us', 'eBay US', 'USD'), ('amazon-us', 'Amazon US', 'USD')`,
  );
  await db.execute(sql`insert into products (marketplace_id, external_id, title, price_minor, currency)
    select id, 'x-' || code, 'A listing on ' || name, 100, 'USD' from marketplaces order by id`);
}

beforeAll(async () => {
  database = await openTestDatabase();
  await fill(database.db);
  target = await cliDatabase(database.url, fill);
});
afterAll(async () => {
  await target?.close();
  await database?.close();
});

const cli = (...args: string[]) => runProgram('db/cli/links', args, target.env);
const verdictLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t').slice(0, 3).join(' '));

describe('npm run db:links', () => {
  it('links two listings, separates them, and lets their identifiers decide again', async () => {
    const same = await cli('same', '2', '1');
    expect(same.code).toBe(0);
    expect(same.stdout.split('\n')[0]).toBe('product\tother product\tverdict\tdecided at');
    expect(verdictLines(same.stdout)).toEqual(['1 2 SAME']);
    expect(verdictLines((await cli('different', '1', '2')).stdout)).toEqual(['1 2 DIFFERENT']);
    const cleared = await cli('clear', '1', '2');
    expect(cleared.code).toBe(0);
    expect(verdictLines(cleared.stdout)).toEqual([]);
  });

  it.each([
    [['same', '1', '999999'], 'no product 999999'],
    [['same', '1', '1'], 'two different products'],
    [['different', '1'], 'takes two product ids'],
    [['merge', '1', '2'], 'unknown command "merge"'],
  ])('refuses %j with exit 2', async (args, message) => {
    const refused = await cli(...args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(message);
  });
});
