import { createApiKey } from '../../data/api-keys';
import { type Database, openDatabase, selectRows } from '../../db/client';
import { sql } from 'drizzle-orm';
import { listingChangeTags, purgeTags } from '../../lib/cache-tags';
import { hasServerPrograms, startStandby, type Standby } from '../../test/support/standby';
import { type GraphQLResponse, startTestGateway, type TestGateway } from '../../test/support/gateway';
import { checkHealth } from '../health';
import { resolvePolicies } from '../policy';
import type { ReadFrom } from '../read-target';
import { until } from '../../test/support/wait';

type Freshness = { computedAt: string; lastChangeAt: string | null; readFrom: ReadFrom };
type TitleData = { product: { id: string; title: string } | null };
type ReplicaReport = { name: string; status: string; lagSeconds: number | null; lagBytes: number | null };
type HealthBody = { status: string; dependencies: { replicas?: { maxLagSeconds: number; members: ReplicaReport[] } } };

const TITLE = 'query Title($id: ID!) { product(id: $id) { id title } }';
const freshnessOf = (body: GraphQLResponse) => body.extensions?.freshness as Freshness;
const cacheOf = (body: GraphQLResponse) => body.extensions?.cache as { status: string; reason?: string };

// A real streaming standby: PostgreSQL with its server programs on this machine (pg_basebackup),
// skipped where they are missing, except on CI, where a standby that cannot be made fails the
// tests with the reason.
const standbyPossible = process.env.CI === 'true' || hasServerPrograms();
(process.env.DATABASE_URL && standbyPossible ? describe : describe.skip)(
  'read replicas (a streaming standby of DATABASE_URL)',
  () => {
    const adminUrl = process.env.DATABASE_URL as string;
    let standby: Standby | undefined;
    let gw: TestGateway;
    let replicaUrl: string;
    let keys: { analyst: string; operator: string };
    let product: { id: number; marketplaceId: number };

    beforeAll(async () => {
      standby = await startStandby(adminUrl);
      const made = standby;
      gw = await startTestGateway({
        connectVia: async (databaseUrl) => {
          replicaUrl = made.urlFor(new URL(databaseUrl).pathname.slice(1));
          await made.caughtUp();
          const database = openDatabase({
            databaseUrl,
            pgliteDir: 'memory://',
            poolMax: 5,
            readUrls: [replicaUrl],
            // Wide, so a slow machine never turns the paused standby into a fallback mid-test;
            // the bound itself is tested below with a database of its own.
            replicaMaxLagSeconds: 600,
            replicaProbeMs: 100,
          });
          await database.replicas?.probe();
          return database;
        },
        gateway: {
          authMode: 'keys',
          keyCacheMs: 0,
          policies: resolvePolicies({
            analyst: { requestsPerMinute: 1_000_000 },
            operator: { requestsPerMinute: 1_000_000 },
          }),
        },
      });
      const mint = async (role: 'analyst' | 'operator') =>
        (await createApiKey(gw.database.db, { name: `${role} key`, role })).key;
      keys = { analyst: await mint('analyst'), operator: await mint('operator') };
      const [first] = await selectRows<{ id: number; marketplaceId: number }>(
        gw.database.db,
        sql`select id, marketplace_id as "marketplaceId" from products order by id limit 1`,
      );
      if (!first) throw new Error('the seeded test database has no products');
      product = first;
      await made.caughtUp();
    }, 180_000);

    afterAll(async () => {
      await standby?.query('select pg_wal_replay_resume()').catch(() => undefined);
      await gw?.stop();
      await standby?.destroy();
    }, 60_000);

    const as = (key: string, headers: Record<string, string> = {}) => ({ authorization: `Bearer ${key}`, ...headers });
    const title = (key: string, headers: Record<string, string> = { 'cache-control': 'no-store' }) =>
      gw.post<TitleData>(TITLE, { id: String(product.id) }, as(key, headers));
    const health = async () => (await (await fetch(`${gw.url}/health`)).json()) as HealthBody;
    const setTitle = (text: string) =>
      gw.database.db.execute(sql`update products set title = ${text} where id = ${product.id}`);

    async function pauseReplay(): Promise<void> {
      await standby?.query('select pg_wal_replay_pause()');
      await until(
        async () => (await standby?.query<{ state: string }>('select pg_get_wal_replay_pause_state() as state'))?.[0],
        (row) => row?.state === 'paused',
      );
    }

    async function resumeReplay(): Promise<void> {
      await standby?.query('select pg_wal_replay_resume()');
      await standby?.caughtUp();
    }

    it('reads public data from the replica with the same statement count, and says so', async () => {
      const replica = await title(keys.analyst);
      const primary = await title(keys.operator);
      expect(replica.body.errors).toBeUndefined();
      expect(freshnessOf(replica.body).readFrom).toMatchObject({ target: 'replica', replica: 'replica-1' });
      expect(freshnessOf(primary.body).readFrom).toEqual({
        target: 'primary',
        reason: 'the operator role reads from the primary',
      });
      expect(replica.body.data).toEqual(primary.body.data);
      expect(replica.headers.get('x-sql-statements')).toBe(primary.headers.get('x-sql-statements'));
    });

    it('answers from a paused replica without a new write, says how far behind it is, and converges', async () => {
      const before = (await title(keys.analyst)).body.data?.product?.title;
      await pauseReplay();
      await setTitle('Written while the replica was paused');

      // The next probes see the primary move on while the replica stays put.
      const lagging = await until(health, (body) => (body.dependencies.replicas?.members[0]?.lagBytes ?? 0) > 0);
      expect(lagging.status).toBe('ok'); // within its bound
      expect(lagging.dependencies.replicas?.members[0]).toMatchObject({ name: 'replica-1', status: 'up' });
      await until(health, (body) => (body.dependencies.replicas?.members[0]?.lagSeconds ?? 0) > 0);

      const replica = await title(keys.analyst);
      expect(replica.body.data?.product?.title).toBe(before);
      const readFrom = freshnessOf(replica.body).readFrom;
      expect(readFrom).toMatchObject({ target: 'replica', replica: 'replica-1' });
      expect(readFrom.target === 'replica' && readFrom.lagBytes).toBeGreaterThan(0);
      expect(readFrom.target === 'replica' && readFrom.lagSeconds).toBeGreaterThan(0);

      // Operators read the primary: they see the write at once.
      const operator = await title(keys.operator);
      expect(operator.body.data?.product?.title).toBe('Written while the replica was paused');
      // API keys are looked up on the primary: a key minted now works at once.
      const fresh = await createApiKey(gw.database.db, { name: 'minted while paused', role: 'analyst' });
      expect((await title(fresh.key)).status).toBe(200);
      // Ingestion data is read from the primary whatever the role.
      const runs = await gw.post('{ ingestRuns(first: 1) { totalCount } }', undefined, as(keys.analyst));
      expect(freshnessOf(runs.body).readFrom).toEqual({
        target: 'primary',
        reason: 'Query.ingestRuns is ingestion data, read from the primary',
      });

      await resumeReplay();
      const converged = await until(
        () => title(keys.analyst),
        (answer) => answer.body.data?.product?.title === 'Written while the replica was paused',
      );
      expect(freshnessOf(converged.body).readFrom).toMatchObject({ target: 'replica' });
    });

    it('does not store an answer read from a replica that has not replayed a purged change', async () => {
      const cached = (key: string) => title(key, {});
      await setTitle('Before the purge');
      await standby?.caughtUp();
      await until(
        () => cached(keys.analyst),
        (answer) => answer.body.data?.product?.title === 'Before the purge' && cacheOf(answer.body).status === 'HIT',
      );

      await pauseReplay();
      await setTitle('After the purge');
      // What ingestion does once its transaction has committed on the primary.
      await purgeTags(gw.cache, listingChangeTags([product.marketplaceId]));

      const stale = await cached(keys.analyst);
      expect(stale.body.data?.product?.title).toBe('Before the purge');
      expect(cacheOf(stale.body)).toEqual({
        status: 'MISS',
        reason: expect.stringMatching(/^not stored: replica-1 had not yet replayed the change purged at /),
      });
      // Not stored: the next request computes again rather than getting the old title as a HIT.
      expect(cacheOf((await cached(keys.analyst)).body).status).toBe('MISS');

      await resumeReplay();
      const fresh = await until(
        () => cached(keys.analyst),
        (answer) => answer.body.data?.product?.title === 'After the purge' && cacheOf(answer.body).status === 'HIT',
      );
      expect(freshnessOf(fresh.body).readFrom).toMatchObject({ target: 'replica', replica: 'replica-1' });
    });

    it('stops reading from a replica further behind than its bound, and health says degraded', async () => {
      const strict: Database = openDatabase({
        databaseUrl: gw.databaseUrl,
        pgliteDir: 'memory://',
        readUrls: [replicaUrl],
        replicaMaxLagSeconds: 0.2,
        replicaProbeMs: 100,
      });
      try {
        await until(
          () => (strict.replicas as NonNullable<Database['replicas']>).probe(),
          ([r]) => r?.status === 'up',
        );
        await pauseReplay();
        await setTitle('Written past the bound');
        const report = await until(
          () => checkHealth(strict, gw.cache),
          (body) => body.dependencies.replicas?.members[0]?.status === 'lagging',
        );
        expect(report.status).toBe('degraded');
        expect(strict.replicas?.pick()).toEqual({
          fallback: 'no replica can serve (replica-1: more than 0.2 s behind the primary)',
        });
      } finally {
        await resumeReplay();
        await strict.close();
      }
    });

    it('falls back to the primary when the replica stops, fails no request, and returns to it', async () => {
      await standby?.stop();
      // Routed to the replica before any probe noticed: its statements run on the primary instead.
      const first = await title(keys.analyst);
      expect(first.status).toBe(200);
      expect(first.body.errors).toBeUndefined();
      expect(first.body.data?.product?.id).toBe(String(product.id));

      const degraded = await until(health, (body) => body.dependencies.replicas?.members[0]?.status === 'down');
      expect(degraded.status).toBe('degraded');
      const fallback = await title(keys.analyst);
      expect(fallback.body.data?.product?.id).toBe(String(product.id));
      expect(freshnessOf(fallback.body).readFrom).toEqual({
        target: 'primary',
        reason: expect.stringMatching(/^no replica can serve \(replica-1: /),
      });

      const metrics = await (await fetch(`${gw.url}/metrics`, { headers: as(keys.operator) })).text();
      expect(metrics).toMatch(/^soldgraph_replica_up\{replica="replica-1"\} 0$/m);
      expect(metrics).toMatch(/^soldgraph_replica_fallbacks_total [1-9]/m);
      expect(metrics).toMatch(/^soldgraph_graphql_reads_total\{target="replica-1"\} [1-9]/m);

      await standby?.start();
      await until(health, (body) => body.status === 'ok');
      const back = await title(keys.analyst);
      expect(freshnessOf(back.body).readFrom).toMatchObject({ target: 'replica', replica: 'replica-1' });
    });
  },
);

describe('read replicas on the embedded database', () => {
  it('are refused: the embedded database has no replicas', () => {
    expect(() =>
      openDatabase({ pgliteDir: 'memory://', readUrls: ['postgres://postgres@127.0.0.1:5433/soldgraph'] }),
    ).toThrow('read replicas (DATABASE_READ_URL) need PostgreSQL (DATABASE_URL)');
  });
});
