import pino from 'pino';
import { parseEnv } from '../../lib/env';
import { openDatabase } from '../../db/client';
import { openTestDatabase } from '../../test/support/database';
import { startGateway } from '../start';
import { createEntityCache } from '../../lib/cache';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { startTcpProxy, type TcpProxy } from '../../test/support/tcp-proxy';
import { createTokenBuckets, type TokenBuckets } from '../../lib/token-buckets';
import { resolvePolicies } from '../policy';

const PAGE = '{ products(first: 3) { nodes { id marketplace { code } } } }';
/** These tests are about the database and the entity cache: every page is computed, never a shared answer. */
const page = (gw: TestGateway) => gw.post(PAGE, undefined, { 'cache-control': 'no-store' });

async function health(gw: TestGateway) {
  const response = await fetch(`${gw.url}/health`);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** One answer: the phase it was sent in and the phase it came back in, its status, code and time. */
type Answer = { phase: string; finished: string; status: number; code?: string; ms: number };

/** Every answer must come within the deadline plus a second, outage or not. */
const DEADLINE_MS = 10_000;
const LOAD_POLICIES = resolvePolicies({
  admin: { requestsPerMinute: 1_000_000, concurrency: 8, deadlineMs: DEADLINE_MS },
});

/**
 * Steady load: `clients` loops sending PAGE back to back, each answer recorded with the phase
 * the test was in when it was sent, until `stop`.
 */
function steadyLoad(gw: TestGateway, clients: number) {
  const answers: Answer[] = [];
  let phase = 'before';
  let running = true;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      const sentIn = phase;
      const started = performance.now();
      const { status, body } = await page(gw);
      answers.push({
        phase: sentIn,
        finished: phase,
        status,
        code: body.errors?.[0]?.extensions?.code as string | undefined,
        ms: performance.now() - started,
      });
    }
  });
  return {
    answers,
    enter(next: string) {
      phase = next;
    },
    /** Waits until at least `count` more answers of the current phase have come back. */
    async settle(count: number) {
      const target = answers.filter((answer) => answer.phase === phase).length + count;
      while (answers.filter((answer) => answer.phase === phase).length < target) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await probe();
  for (let i = 0; i < 100 && !done(value); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await probe();
  }
  return value;
}

describe('Redis unreachable at start', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      cache: createEntityCache({ redisUrl: 'redis://127.0.0.1:1', timeoutMs: 100, defaultTtlMs: 60_000 }),
    });
  });
  afterAll(() => gw.stop());

  it('answers every request from the database', async () => {
    for (let i = 0; i < 3; i += 1) {
      const { status, body } = await page(gw);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect((body.data as any).products.nodes).toHaveLength(3);
    }
  });

  it('says degraded in /health, naming the cache', async () => {
    const { status, body } = await health(gw);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'degraded',
      dependencies: { database: { status: 'up' }, cache: { kind: 'redis', status: 'down' } },
    });
  });
});

const redisUrl = process.env.REDIS_URL;
(redisUrl ? describe : describe.skip)('Redis dying mid-run (REDIS_URL)', () => {
  let gw: TestGateway;
  let proxy: TcpProxy;
  beforeAll(async () => {
    const target = new URL(redisUrl ?? '');
    proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    gw = await startTestGateway({
      cache: createEntityCache({
        redisUrl: `redis://127.0.0.1:${proxy.port}`,
        namespace: `soldgraph-faults-${process.pid}`,
        timeoutMs: 100,
        defaultTtlMs: 60_000,
      }),
    });
  });
  afterAll(async () => {
    await gw.stop();
    await proxy.cut();
  });

  it('keeps answering while Redis is gone and uses it again when it returns', async () => {
    await eventually(
      () => health(gw),
      (h) => h.body.status === 'ok',
    );
    expect((await page(gw)).body.errors).toBeUndefined();
    const warm = await page(gw);
    expect(warm.headers.get('x-sql-statements')).toBe('1');

    await proxy.cut();
    const cold = await page(gw);
    expect(cold.body.errors).toBeUndefined();
    // The catalog still comes from this process's parsed copy: no Redis needed for it.
    expect(cold.headers.get('x-sql-statements')).toBe('1');
    expect((await health(gw)).body).toMatchObject({ status: 'degraded' });

    await proxy.restore();
    const recovered = await eventually(
      () => health(gw),
      (h) => h.body.status === 'ok',
    );
    expect(recovered.body.status).toBe('ok');
    expect((await page(gw)).body.errors).toBeUndefined();
  });
});

(process.env.DATABASE_URL ? describe : describe.skip)('PostgreSQL going away (DATABASE_URL)', () => {
  let gw: TestGateway;
  let proxy: TcpProxy | undefined;
  const poolErrors: Error[] = [];
  beforeAll(async () => {
    gw = await startTestGateway({
      connectVia: async (url) => {
        const target = new URL(url);
        proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
        const proxied = new URL(url);
        proxied.host = `127.0.0.1:${proxy.port}`;
        return openDatabase({
          databaseUrl: proxied.toString(),
          pgliteDir: 'memory://',
          poolMax: 4,
          onPoolError: (error) => poolErrors.push(error),
        });
      },
    });
  });
  afterAll(async () => {
    await gw.stop();
    await proxy?.cut();
  });

  it('survives dropped connections, says down, and recovers when the server returns', async () => {
    expect((await page(gw)).body.errors).toBeUndefined();

    await proxy?.cut();
    // Idle pooled connections just died: without a pool 'error' listener this would crash.
    await eventually(
      async () => poolErrors.length,
      (n) => n > 0,
    );
    expect(poolErrors.length).toBeGreaterThan(0);
    const during = await page(gw);
    expect(during.body.errors?.[0]).toMatchObject({
      message: 'The database is unavailable; try again shortly.',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    const down = await health(gw);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'down', dependencies: { database: { status: 'down' } } });

    await proxy?.restore();
    const back = await eventually(
      () => page(gw),
      (r) => r.body.errors === undefined,
    );
    expect(back.body.errors).toBeUndefined();
    expect((await health(gw)).body.dependencies.database.status).toBe('up');
  });
});

(process.env.DATABASE_URL ? describe : describe.skip)('PostgreSQL unreachable at start (DATABASE_URL)', () => {
  it('waits for the database and starts once it is reachable', async () => {
    const database = await openTestDatabase();
    const target = new URL(database.url ?? '');
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.cut();
    const proxied = new URL(database.url ?? '');
    proxied.host = `127.0.0.1:${proxy.port}`;
    const env = parseEnv({
      DATABASE_URL: proxied.toString(),
      PORT: '0',
      SEED_SIZE: 'small',
      DATABASE_WAIT_SECONDS: '30',
      LOG_LEVEL: 'silent',
      // Production mode on PostgreSQL asks for keys; this test is about waiting for the database.
      AUTH_MODE: 'open',
    });
    let started = false;
    const starting = startGateway(env, pino({ level: 'silent' })).then((running) => {
      started = true;
      return running;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(started).toBe(false);
    await proxy.restore();
    const running = await starting;
    const response = await fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ products(first: 1) { totalCount } }' }),
    });
    const body = (await response.json()) as { data: { products: { totalCount: number } } };
    expect(body.data.products.totalCount).toBeGreaterThan(0);
    await running.stop();
    await proxy.cut();
    await database.close();
  });
});

(redisUrl ? describe : describe.skip)('Redis killed under load (REDIS_URL)', () => {
  let gw: TestGateway;
  let proxy: TcpProxy;
  let rateLimits: TokenBuckets | undefined;
  beforeAll(async () => {
    const target = new URL(redisUrl ?? '');
    proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    const proxied = `redis://127.0.0.1:${proxy.port}`;
    gw = await startTestGateway({
      cache: createEntityCache({
        redisUrl: proxied,
        namespace: `soldgraph-load-${process.pid}`,
        timeoutMs: 100,
        defaultTtlMs: 60_000,
      }),
      // Rate limits share the same Redis, and lose it at the same moment.
      gateway: {
        policies: LOAD_POLICIES,
        rateLimits: (rateLimits = createTokenBuckets({ redisUrl: proxied, timeoutMs: 100 })),
      },
    });
  });
  afterAll(async () => {
    await gw.stop();
    await rateLimits?.close();
    await proxy.cut();
  });

  it('answers every request, before, during and after, and uses Redis again when it returns', async () => {
    await eventually(
      () => health(gw),
      (h) => h.body.status === 'ok',
    );
    const load = steadyLoad(gw, 6);
    await load.settle(30);
    load.enter('outage');
    await proxy.cut();
    await load.settle(60);
    load.enter('after');
    await proxy.restore();
    await eventually(
      () => health(gw),
      (h) => h.body.status === 'ok',
    );
    await load.settle(30);
    const answers = await load.stop();

    const failed = answers.filter((answer) => answer.status !== 200 || answer.code !== undefined);
    expect(failed).toEqual([]);
    expect(answers.filter((answer) => answer.phase === 'outage').length).toBeGreaterThanOrEqual(60);
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(DEADLINE_MS + 1_000);
    // Back on Redis: the catalog is cached again, so a page is one statement.
    const warm = await eventually(
      () => page(gw),
      (answer) => answer.headers.get('x-sql-statements') === '1',
    );
    expect(warm.headers.get('x-sql-statements')).toBe('1');
  });
});

(process.env.DATABASE_URL ? describe : describe.skip)(
  'PostgreSQL stopped and restarted under load (DATABASE_URL)',
  () => {
    let gw: TestGateway;
    let proxy: TcpProxy | undefined;
    beforeAll(async () => {
      gw = await startTestGateway({
        gateway: { policies: LOAD_POLICIES },
        connectVia: async (url) => {
          const target = new URL(url);
          proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
          const proxied = new URL(url);
          proxied.host = `127.0.0.1:${proxy.port}`;
          return openDatabase({ databaseUrl: proxied.toString(), pgliteDir: 'memory://', poolMax: 4 });
        },
      });
    });
    afterAll(async () => {
      await gw.stop();
      await proxy?.cut();
    });

    it('answers every request quickly while it is down, says so, and serves again once it is back', async () => {
      const load = steadyLoad(gw, 6);
      await load.settle(30);
      load.enter('outage');
      await proxy?.cut();
      await load.settle(60);
      const down = await health(gw);
      load.enter('after');
      await proxy?.restore();
      // Requests sent after the restore may still meet a connection that died with the cut;
      // count from the first success on.
      await eventually(
        async () => load.answers.filter((answer) => answer.phase === 'after' && answer.status === 200).length,
        (served) => served > 0,
      );
      load.enter('recovered');
      await load.settle(60);
      const answers = await load.stop();

      // Sent and answered within one phase; requests in flight at the cut belong to the outage.
      const of = (phase: string) => answers.filter((answer) => answer.phase === phase && answer.finished === phase);
      expect(of('before').every((answer) => answer.status === 200 && answer.code === undefined)).toBe(true);
      // While it is down: the stable code, never a hang, never another error.
      const outage = answers.filter((answer) => answer.phase === 'outage' || answer.finished === 'outage');
      expect(outage.filter((answer) => answer.code === 'SERVICE_UNAVAILABLE').length).toBeGreaterThan(0);
      expect(outage.filter((answer) => answer.code !== undefined && answer.code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
      expect(down).toMatchObject({ status: 503, body: { status: 'down' } });
      expect(of('recovered').filter((answer) => answer.status !== 200 || answer.code !== undefined)).toEqual([]);
      expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(DEADLINE_MS + 1_000);
      expect((await health(gw)).body.dependencies.database.status).toBe('up');
    });
  },
);
