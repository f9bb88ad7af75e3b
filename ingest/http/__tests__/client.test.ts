import { fakeClock } from '../../../test/fakes/clock';
import { type FakeReply, type RunningFake, startJsonServer } from '../../../test/fakes/server';
import { type AuthProvider, createHttpClient, type HttpClientOptions } from '../client';
import { SourceRequestError } from '../errors';

type Script = (FakeReply | 'hang')[];

describe('source HTTP client', () => {
  let server: RunningFake;
  let script: Script;
  let seen: { authorization?: string }[];

  beforeAll(async () => {
    server = await startJsonServer((request) => {
      seen.push({ authorization: request.headers.authorization });
      return script.shift() ?? { status: 200, body: { ok: true } };
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    script = [];
    seen = [];
  });

  function setup(overrides: Partial<HttpClientOptions> = {}) {
    const clock = fakeClock('2026-01-01T00:00:00Z', 0.5);
    const warnings: { message: string; code?: string }[] = [];
    const http = createHttpClient({
      name: 'test',
      timeoutMs: 2_000,
      maxRetries: 3,
      backoff: { baseMs: 100, maxMs: 1_000 },
      maxRetryAfterMs: 60_000,
      clock,
      ...overrides,
    });
    const get = (extra: Partial<Parameters<typeof http.request>[0]> = {}) =>
      http.request({
        url: new URL('/thing?key=secret', server.url),
        json: true,
        signal: new AbortController().signal,
        warn: (message, code) => warnings.push({ message, code }),
        ...extra,
      });
    return { clock, warnings, get };
  }

  const failure = async (work: Promise<unknown>): Promise<SourceRequestError> => {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof SourceRequestError)) throw new Error(`expected a SourceRequestError, got ${String(error)}`);
    return error;
  };

  it('retries 5xx with exponential backoff and full jitter, warning each time', async () => {
    script = [
      { status: 500, body: { errors: [{ message: 'Internal error' }] } },
      { status: 503, body: {} },
      { status: 502, body: {} },
    ];
    const { clock, warnings, get } = setup();
    const response = await get();
    expect(response.json).toEqual({ ok: true });
    // random() = 0.5 of 100, 200, 400 ms ceilings.
    expect(clock.waits).toEqual([50, 100, 200]);
    expect(warnings.map((w) => w.code)).toEqual(['HTTP_500', 'HTTP_503', 'HTTP_502']);
    expect(warnings[0]?.message).toBe(
      'test: GET ' + server.url + '/thing answered 500 (Internal error); retry 1/3 in 50 ms',
    );
  });

  it('caps the backoff at maxMs', async () => {
    script = [
      { status: 500, body: {} },
      { status: 500, body: {} },
      { status: 500, body: {} },
    ];
    const { clock, get } = setup({ backoff: { baseMs: 300, maxMs: 500 }, maxRetries: 3 });
    await get();
    expect(clock.waits).toEqual([150, 250, 250]);
  });

  it('waits exactly what Retry-After asks, in seconds or as an HTTP date', async () => {
    script = [
      { status: 429, body: {}, headers: { 'retry-after': '3' } },
      { status: 503, body: {}, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' } },
    ];
    const { clock, warnings, get } = setup();
    await get();
    // The date is 10 s after the start; 3 s have passed by the second answer.
    expect(clock.waits).toEqual([3_000, 7_000]);
    expect(warnings.map((w) => w.code)).toEqual(['HTTP_429', 'HTTP_503']);
  });

  it('uses the source hint when a 429 has no Retry-After', async () => {
    script = [{ status: 429, body: { refillIn: 4_321 } }];
    const { clock, get } = setup({ retryHint: (r) => (JSON.parse(r.body) as { refillIn: number }).refillIn });
    await get();
    expect(clock.waits).toEqual([4_321]);
  });

  it('fails at once when asked to wait longer than allowed', async () => {
    script = [{ status: 429, body: {}, headers: { 'retry-after': '3600' } }];
    const { clock, get } = setup();
    const error = await failure(get());
    expect(error.code).toBe('HTTP_RETRY_AFTER_TOO_LONG');
    expect(error.message).toMatch(/asks to wait 3600 s, longer than the 60 s allowed/);
    expect(clock.waits).toEqual([]);
  });

  it('does not retry other 4xx and says what the server said', async () => {
    script = [{ status: 404, body: { errors: [{ errorId: 11001, message: 'The specified item ID was not found.' }] } }];
    const { clock, get } = setup();
    const error = await failure(get());
    expect(error.code).toBe('HTTP_CLIENT_ERROR');
    expect(error.details.status).toBe(404);
    expect(error.message).toBe(
      `test: GET ${server.url}/thing answered 404: The specified item ID was not found. (errorId 11001)`,
    );
    expect(error.message).not.toMatch(/secret/);
    expect(seen).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });

  it('gives up after maxRetries with the last failure', async () => {
    script = Array.from({ length: 4 }, () => ({ status: 500, body: { message: 'boom' } }));
    const { get } = setup();
    const error = await failure(get());
    expect(error.code).toBe('HTTP_RETRIES_EXHAUSTED');
    expect(error.message).toMatch(/answered 500 \(boom\); gave up after 4 attempts/);
    expect(seen).toHaveLength(4);
  });

  it('refreshes the token exactly once on 401', async () => {
    let token = 1;
    const invalidated: string[] = [];
    const auth: AuthProvider = {
      authorization: async () => `Bearer t${token}`,
      invalidate: async (rejected) => {
        invalidated.push(rejected);
        token += 1;
      },
    };
    script = [{ status: 401, body: { errors: [{ message: 'Invalid access token' }] } }];
    const { warnings, get } = setup();
    await get({ auth });
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    expect(invalidated).toEqual(['Bearer t1']);
    expect(warnings.map((w) => w.code)).toEqual(['HTTP_401_REFRESH']);

    seen = [];
    script = [
      { status: 401, body: {} },
      { status: 401, body: { errors: [{ message: 'Invalid access token' }] } },
    ];
    const error = await failure(get({ auth }));
    expect(error.code).toBe('HTTP_UNAUTHORIZED');
    expect(seen).toHaveLength(2);
  });

  it('times out a request that hangs and retries it', async () => {
    script = ['hang'];
    const { warnings, get } = setup({ timeoutMs: 100 });
    const response = await get();
    expect(response.status).toBe(200);
    expect(warnings).toEqual([
      {
        code: 'HTTP_TIMEOUT',
        message: expect.stringMatching(/timed out: no complete answer within 100 ms; retry 1\/3/),
      },
    ]);
  });

  it('retries a 200 whose body is not JSON', async () => {
    script = [{ status: 200, body: null, raw: '{"itemSummaries": [' }];
    const { warnings, get } = setup();
    const response = await get();
    expect(response.json).toEqual({ ok: true });
    expect(warnings.map((w) => w.code)).toEqual(['HTTP_MALFORMED_JSON']);
  });

  it('retries network errors', async () => {
    const closed = await startJsonServer(() => ({ status: 200, body: {} }));
    await closed.close();
    const { warnings, clock, get } = setup({ maxRetries: 2 });
    const error = await failure(get({ url: new URL('/x', closed.url) }));
    expect(error.code).toBe('HTTP_RETRIES_EXHAUSTED');
    expect(warnings.map((w) => w.code)).toEqual(['HTTP_NETWORK', 'HTTP_NETWORK']);
    expect(clock.waits).toEqual([50, 100]);
  });

  it('stops when the run is aborted', async () => {
    script = [{ status: 500, body: {} }];
    const controller = new AbortController();
    const { get } = setup({ beforeRequest: async () => controller.abort(new Error('run cancelled')) });
    await expect(get({ signal: controller.signal })).rejects.toThrow('run cancelled');
  });
});
