import { holdDatabase } from '../../test/support/hold';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { resolvePolicies } from '../policy';

/** Resolves once `condition` holds, checking every 50 ms. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

let gw: TestGateway;

beforeAll(async () => {
  // A short deadline, so a held database shows what happens at it.
  gw = await startTestGateway({
    gateway: { policies: resolvePolicies({ admin: { deadlineMs: 1_000 } }), responseMaxBytes: 3_000 },
  });
});

afterAll(async () => {
  await gw?.stop();
});

describe('request deadlines', () => {
  it('answers DEADLINE_EXCEEDED (HTTP 504) at the deadline while the database is still held, and cancels the SQL', async () => {
    const hold = await holdDatabase(gw);
    try {
      const { status, body } = await gw.post('{ products(first: 3) { nodes { id } } }');
      expect(status).toBe(504);
      expect(body.data).toBeUndefined();
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['DEADLINE_EXCEEDED']);
      expect(body.errors?.[0]?.message).toMatch(/ran past its deadline of 1 s and was stopped, its SQL cancelled/);
      // On PostgreSQL the gateway's statement no longer waits on the lock: it was cancelled.
      await until(async () => (await hold.waiting()) === 0);
    } finally {
      await hold.release();
    }
    const after = await gw.post('{ products(first: 1) { nodes { id } } }');
    expect(after.body.errors).toBeUndefined();
  });

  it("cancels a request's SQL when its client goes away", async () => {
    const hold = await holdDatabase(gw);
    try {
      const leaving = new AbortController();
      const request = fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ products(first: 3) { nodes { id } } }' }),
        signal: leaving.signal,
      }).catch((error: unknown) => error);
      if (gw.databaseUrl) {
        await until(async () => (await hold.waiting()) > 0);
        leaving.abort();
        await request;
        // Well before the 1 s deadline, and while the lock is held: the disconnect cancelled it.
        await until(async () => (await hold.waiting()) === 0);
      } else {
        // PGlite cannot cancel a statement; the request stops waiting and the gateway carries on.
        leaving.abort();
        expect(((await request) as Error).name).toBe('AbortError');
      }
    } finally {
      await hold.release();
    }
    const after = await gw.post('{ marketplaces { code } }');
    expect(after.body.errors).toBeUndefined();
  });
});

describe('the response cap', () => {
  it('refuses an answer over the cap with RESPONSE_TOO_LARGE, saying its size', async () => {
    const { status, body } = await gw.post('{ products(first: 100) { nodes { id title brand } } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', maxBytes: 3_000 });
    expect(body.errors?.[0]?.extensions?.bytes).toBeGreaterThan(3_000);
    expect(body.errors?.[0]?.message).toMatch(/^The answer is \d+\.\d kB, over the 3\.0 kB an answer may be/);
  });

  it('sends an answer under the cap', async () => {
    const { status, body } = await gw.post('{ products(first: 2) { nodes { id } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });
});
