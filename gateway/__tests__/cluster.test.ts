import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openTestDatabase } from '../../test/support/database';
import { exitOf, killSpawnedGateways, startGatewayProcess } from '../../test/support/gateway-process';
import { childPids } from '../../test/support/processes';
import { programArgs } from '../../test/support/programs';
import { isProcessAlive } from '../../lib/processes';
import { until } from '../../test/support/wait';

// Real processes on a possibly busy machine: every wait is on a condition, and this only
// bounds a test that hangs.
jest.setTimeout(10 * 60_000);

const redisUrl = process.env.REDIS_URL;
afterAll(killSpawnedGateways);

type Answer = {
  data?: Record<string, { totalCount: number }>;
  extensions?: { cache?: { status: string; staleAt?: string } };
};

// Several gateway processes need PostgreSQL (the embedded database has one owner), and sharing
// caches needs Redis.
(process.env.DATABASE_URL && redisUrl ? describe : describe.skip)('GATEWAY_PROCESSES (PostgreSQL + Redis)', () => {
  it('serves one port from two processes, replaces one that dies, drops every cached copy when a run lands, and stops on SIGTERM', async () => {
    const database = await openTestDatabase();
    try {
      const env = {
        DATABASE_URL: database.url ?? '',
        REDIS_URL: redisUrl ?? '',
        GATEWAY_PROCESSES: '2',
        AUTH_MODE: 'open',
        SEED_SIZE: 'small',
        // The primary says when a replaced process listens.
        LOG_LEVEL: 'info',
      };
      const gateway = await startGatewayProcess(env);
      expect(gateway.output()).toContain('2 processes');
      const primary = gateway.child.pid ?? 0;
      const workers = await until(
        () => childPids(primary),
        (pids) => pids.length === 2,
      );

      // An alias of its own makes this document's cache key this test's alone.
      const field = `count_${randomBytes(4).toString('hex')}`;
      const ask = async (): Promise<Answer> => {
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          // A connection per request: the primary hands connections to its processes in turn.
          headers: { 'content-type': 'application/json', connection: 'close' },
          body: JSON.stringify({ query: `{ ${field}: products(first: 0) { totalCount } }` }),
        });
        return (await response.json()) as Answer;
      };
      const countOf = (answer: Answer) => answer.data?.[field]?.totalCount;

      // Warm both processes' copies: every answer a HIT of the same count.
      const before = countOf(await ask());
      const warm = await until(
        () => Promise.all(Array.from({ length: 6 }, ask)),
        (answers) => answers.every((answer) => answer.extensions?.cache?.status === 'HIT'),
      );
      expect(warm.map(countOf)).toEqual(warm.map(() => before));
      const staleAt = Date.parse(warm[0]?.extensions?.cache?.staleAt ?? '');

      // A process that dies is replaced; the port keeps answering meanwhile.
      process.kill(workers[0] ?? 0, 'SIGKILL');
      const replaced = await until(
        () => childPids(primary),
        (pids) => pids.length === 2 && !pids.includes(workers[0] ?? 0),
      );
      expect(replaced).toContain(workers[1]);
      expect(countOf(await ask())).toBe(before);
      await until(gateway.output, (output) => output.includes('gateway process replaced; it listens'));

      // An ingestion run lands in another process: every gateway process drops its copy.
      const ingest = spawn(process.execPath, programArgs('ingest/cli', ['samples']), {
        env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: redisUrl },
        stdio: 'ignore',
      });
      expect(await new Promise((resolve) => ingest.once('exit', resolve))).toBe(0);
      const fresh = await until(ask, (answer) => countOf(answer) !== before);
      // Before the old copies' own freshness ran out: they were dropped, not expired.
      expect(Date.now()).toBeLessThan(staleAt);
      expect(countOf(fresh)).toBeGreaterThan(before ?? 0);
      const after = await Promise.all(Array.from({ length: 6 }, ask));
      expect(after.map(countOf)).toEqual(after.map(() => countOf(fresh)));

      const exited = exitOf(gateway.child);
      gateway.child.kill('SIGTERM');
      // With its output, so a stop that fails says why.
      expect({ code: await exited, output: gateway.output() }).toMatchObject({ code: 0 });
      expect(replaced.filter(isProcessAlive)).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it('lets gateways started together on an empty database take turns: one seeds, the other finds it seeded', async () => {
    const database = await openTestDatabase();
    try {
      const env = { DATABASE_URL: database.url ?? '', AUTH_MODE: 'open', SEED_SIZE: 'small', LOG_LEVEL: 'info' };
      const both = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
      const seeded = both.filter((gateway) => gateway.output().includes('"msg":"seeded demo data"'));
      expect(seeded).toHaveLength(1);
      const totals = await Promise.all(
        both.map(async (gateway) => {
          const response = await fetch(`${gateway.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ products(first: 0) { totalCount } }' }),
          });
          return ((await response.json()) as { data: { products: { totalCount: number } } }).data.products.totalCount;
        }),
      );
      expect(totals[0]).toBeGreaterThan(0);
      expect(totals[1]).toBe(totals[0]);
      await Promise.all(
        both.map(async (gateway) => {
          const exited = exitOf(gateway.child);
          gateway.child.kill('SIGTERM');
          expect({ code: await exited, output: gateway.output() }).toMatchObject({ code: 0 });
        }),
      );
    } finally {
      await database.close();
    }
  });
});
