import { randomBytes } from 'node:crypto';
import { createApiKey } from '../../data/api-keys';
import { createTokenBuckets } from '../../lib/token-buckets';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { holdDatabase } from '../../test/support/hold';
import { resolvePolicies } from '../policy';

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
/** Floods of one query must reach the database: past the response cache, which would run them once. */
const COMPUTED = { 'cache-control': 'no-store' };

/** Resolves once `condition` holds, checking every 50 ms. */
async function until(condition: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('rate limits', () => {
  // Six a minute: one token in the bucket, the next one in ten seconds.
  const policies = resolvePolicies({ admin: { requestsPerMinute: 6 }, analyst: { requestsPerMinute: 6 } });
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ gateway: { policies } });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('answers 429 with Retry-After and RateLimit headers once a caller is over its rate', async () => {
    const first = await gw.post('{ marketplaces { code } }');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"admin";q=6;w=60');
    expect(first.headers.get('ratelimit')).toBe('"admin";r=0;t=10');

    const second = await gw.post('{ marketplaces { code } }');
    expect(second.status).toBe(429);
    const retryAfter = Number(second.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect(second.headers.get('ratelimit')).toBe(`"admin";r=0;t=${retryAfter}`);
    expect(second.body.errors?.[0]).toMatchObject({
      message: `Too many requests: this address may make 6 a minute as admin. Try again in ${retryAfter} s.`,
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter },
    });
  });

  it('counts each API key on its own, apart from its address', async () => {
    const a = await createApiKey(gw.database.db, { name: 'a', role: 'analyst' });
    const b = await createApiKey(gw.database.db, { name: 'b', role: 'analyst' });
    expect((await gw.post('{ marketplaces { code } }', undefined, bearer(a.key))).status).toBe(200);
    expect((await gw.post('{ marketplaces { code } }', undefined, bearer(a.key))).status).toBe(429);
    expect((await gw.post('{ marketplaces { code } }', undefined, bearer(b.key))).status).toBe(200);
  });
});

(process.env.REDIS_URL ? describe : describe.skip)('rate limits in Redis', () => {
  it('are shared by every gateway on the same Redis', async () => {
    const prefix = `soldgraph-test-${randomBytes(4).toString('hex')}`;
    const shared = () => createTokenBuckets({ redisUrl: process.env.REDIS_URL, prefix });
    const policies = resolvePolicies({ admin: { requestsPerMinute: 6 } });
    const [one, two] = [shared(), shared()];
    const first = await startTestGateway({ gateway: { policies, rateLimits: one } });
    const second = await startTestGateway({ gateway: { policies, rateLimits: two } });
    try {
      expect((await first.post('{ marketplaces { code } }')).status).toBe(200);
      expect((await second.post('{ marketplaces { code } }')).status).toBe(429);
    } finally {
      await first.stop();
      await second.stop();
      await one.close();
      await two.close();
    }
  });
});

onPostgres('the bulkhead, on a small pool', () => {
  let gw: TestGateway;
  let abuser: string;
  let victim: string;

  beforeAll(async () => {
    // Four connections; an analyst may use two at a time.
    gw = await startTestGateway({ poolMax: 4, gateway: { authMode: 'keys', keyCacheMs: 0 } });
    abuser = (await createApiKey(gw.database.db, { name: 'abuser', role: 'analyst' })).key;
    victim = (await createApiKey(gw.database.db, { name: 'victim', role: 'analyst' })).key;
  });

  afterAll(async () => {
    await gw?.stop();
  });

  type Health = {
    status: string;
    dependencies: {
      database: {
        status: string;
        pool: { inUse: number; waiting: number; saturated: boolean; heldByBulkheads: number };
      };
    };
  };
  const readHealth = async () => (await (await fetch(`${gw.url}/health`)).json()) as Health;

  it("keeps serving a victim while one key's flood waits on the database", async () => {
    const hold = await holdDatabase(gw);
    const flood = Array.from({ length: 20 }, () =>
      gw.post('{ products(first: 5) { nodes { id } } }', undefined, { ...bearer(abuser), ...COMPUTED }),
    );
    try {
      // Wait until all twenty are in: at the lock, in the bulkhead or (without one) in the pool.
      await until(async () => {
        const { pool } = (await readHealth()).dependencies.database;
        return (await hold.waiting()) + pool.heldByBulkheads + pool.waiting >= 20;
      });
      // The abuser's statements hold two connections, waiting on the lock; the rest wait in
      // its bulkhead, not in the pool.
      const health = await readHealth();
      expect(health.dependencies.database.status).toBe('up');
      expect(health.dependencies.database.pool).toMatchObject({ inUse: 2, waiting: 0, saturated: false });
      expect(health.dependencies.database.pool.heldByBulkheads).toBe(18);

      for (let i = 0; i < 5; i += 1) {
        const served = await gw.post(
          '{ marketplaces { code } categories(rootsOnly: true) { id } }',
          undefined,
          bearer(victim),
        );
        expect(served.status).toBe(200);
        expect(served.body.errors).toBeUndefined();
      }
    } finally {
      await hold.release();
    }
    const answers = await Promise.all(flood);
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
  });

  it('reports a saturated pool apart from a database that is down', async () => {
    const others = await Promise.all(
      ['one', 'two', 'three'].map(async (name) => (await createApiKey(gw.database.db, { name, role: 'analyst' })).key),
    );
    const hold = await holdDatabase(gw);
    const waiting = others.flatMap((key) =>
      Array.from({ length: 2 }, () =>
        gw.post('{ products(first: 5) { nodes { id } } }', undefined, { ...bearer(key), ...COMPUTED }),
      ),
    );
    try {
      await until(async () => (await hold.waiting()) === 4);
      await until(() => gw.database.poolUsage().waiting > 0);
      const response = await fetch(`${gw.url}/health`);
      const health = (await response.json()) as Health;
      expect(response.status).toBe(200);
      expect(health.status).toBe('degraded');
      expect(health.dependencies.database).toMatchObject({ status: 'up', pool: { saturated: true } });
    } finally {
      await hold.release();
    }
    await Promise.all(waiting);
  });
});
