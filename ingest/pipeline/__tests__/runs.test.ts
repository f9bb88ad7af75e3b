import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { openTestDatabase } from '../../../test/support/database';
import { rows } from '../../../test/support/rows';
import { abandonDeadRuns, withoutSecrets } from '../runs';

describe('withoutSecrets', () => {
  it('drops keys that name secrets at any depth and keeps everything else', () => {
    expect(
      withoutSecrets({
        query: 'iphone',
        apiKey: 'k',
        KEEPA_API_KEY: 'k',
        auth: { clientSecret: 's', accessToken: 't', user: 'me' },
        pages: [{ password: 'p', n: 1 }],
        limit: 200,
      }),
    ).toEqual({ query: 'iphone', auth: { user: 'me' }, pages: [{ n: 1 }], limit: 200 });
  });
});

describe('abandonDeadRuns', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('marks a run whose process is gone from this host at once, and silent runs by the database clock', async () => {
    // A pid that surely ended: a child that has exited.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
    const run = async (name: string, pid: number, host: string, heartbeat: string) => {
      const [row] = await rows<{ id: number }>(
        database.db,
        sql`insert into ingest_runs (source, pid, host, heartbeat_at) values (${name}, ${pid}, ${host}, ${heartbeat}::timestamptz) returning id`,
      );
      return Number(row?.id);
    };
    const killedHere = await run('killed-here', deadPid, hostname(), ago(1_000));
    // A live process whose loop stalled for five minutes is trusted; one silent for an hour is
    // a reused pid, not the run's process.
    const aliveHereQuiet = await run('alive-here', process.pid, hostname(), ago(5 * 60_000));
    const reusedPid = await run('reused-pid', process.pid, hostname(), ago(3_600_000));
    const silentElsewhere = await run('silent-elsewhere', 4242, 'another-host', ago(120_000));
    const beatingElsewhere = await run('beating-elsewhere', 4242, 'another-host', ago(5_000));

    expect((await abandonDeadRuns(database.db, now)).sort((a, b) => a - b)).toEqual([
      killedHere,
      reusedPid,
      silentElsewhere,
    ]);
    const statuses = await rows<{ id: number; status: string }>(
      database.db,
      sql`select id, status from ingest_runs where id in (${aliveHereQuiet}, ${beatingElsewhere}) order by id`,
    );
    expect(statuses.map((s) => s.status)).toEqual(['RUNNING', 'RUNNING']);
    // Marking is idempotent: nothing more to mark.
    expect(await abandonDeadRuns(database.db, now)).toEqual([]);
  });
});
