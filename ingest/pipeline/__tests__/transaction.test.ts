import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../../../test/support/database';
import { rows } from '../../../test/support/rows';
import { withCoreTransaction } from '../transaction';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
  await database.db.execute(sql`create table core_tx_probe (attempt int not null)`);
});
afterAll(() => database.close());

/** What PostgreSQL raises when it breaks a deadlock: the transaction is rolled back whole. */
const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

const probes = async () =>
  (await rows<{ attempt: number }>(database.db, sql`select attempt from core_tx_probe order by attempt`)).map(
    (r) => r.attempt,
  );

describe('the core transaction', () => {
  beforeEach(() => database.db.execute(sql`truncate core_tx_probe`));

  it('runs again from the start after a deadlock, keeping only the attempt that committed', async () => {
    let attempts = 0;
    const result = await withCoreTransaction(database.db, async ({ tx }) => {
      attempts += 1;
      await tx.execute(sql`insert into core_tx_probe values (${attempts})`);
      if (attempts < 3) throw deadlock();
      return 'committed';
    });
    expect(result).toBe('committed');
    expect(await probes()).toEqual([3]);
  });

  it('gives up after three attempts and rolls the last one back', async () => {
    let attempts = 0;
    await expect(
      withCoreTransaction(database.db, async ({ tx }) => {
        attempts += 1;
        await tx.execute(sql`insert into core_tx_probe values (${attempts})`);
        throw deadlock();
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(attempts).toBe(3);
    expect(await probes()).toEqual([]);
  });

  it('does not retry other failures', async () => {
    let attempts = 0;
    await expect(
      withCoreTransaction(database.db, async () => {
        attempts += 1;
        throw Object.assign(new Error('duplicate key'), { code: '23505' });
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
  });
});
