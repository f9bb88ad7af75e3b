import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exitOf, killSpawnedGateways, spawnGateway, startGatewayProcess } from '../../test/support/gateway-process';

// Real processes on a possibly busy machine: every wait below is on a condition (a line
// printed, an exit), and this only bounds a test that hangs.
jest.setTimeout(10 * 60_000);

afterAll(killSpawnedGateways);

async function productCount(url: string): Promise<number> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ products(first: 0) { totalCount } }' }),
  });
  const body = (await response.json()) as { data: { products: { totalCount: number } } };
  return body.data.products.totalCount;
}

describe('the gateway process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'soldgraph-pglite-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds an empty embedded database, keeps it across restarts, and stops cleanly on SIGTERM', async () => {
    const env = { PGLITE_DIR: dataDir, SEED_SIZE: 'small' };
    const first = await startGatewayProcess(env);
    const seeded = await productCount(first.url);
    expect(seeded).toBeGreaterThan(0);
    expect(first.output()).toMatch(/GraphiQL:\s+http:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(first.output()).toMatch(/Health:\s+http:\/\/127\.0\.0\.1:\d+\/health/);
    expect(first.output()).toMatch(/Metrics:\s+http:\/\/127\.0\.0\.1:\d+\/metrics/);
    const exited = exitOf(first.child);
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const second = await startGatewayProcess(env);
    // Same folder, same rows: nothing re-seeded, nothing lost.
    expect(await productCount(second.url)).toBe(seeded);
    const exitedAgain = exitOf(second.child);
    second.child.kill('SIGTERM');
    expect(await exitedAgain).toBe(0);
  });

  // Jest sets NODE_ENV=test, under which Apollo installs no signal handlers of its own; the
  // stop hung only with them, so these processes run as `npm start` does, in development.
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops on %s with an idle keep-alive client: the connection is ended and the forced exit never fires',
    async (signal) => {
      const started = await startGatewayProcess({
        PGLITE_DIR: 'memory://',
        SEED_ON_EMPTY: 'false',
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
      });
      const agent = new http.Agent({ keepAlive: true });
      const socket = await new Promise<Socket>((resolve, reject) => {
        const request = http.get(`${started.url}/health`, { agent });
        request.once('socket', (connection: Socket) => {
          request.once('response', (response) => {
            response.resume();
            // The agent takes the socket back into its pool just after the response ends.
            response.once('end', () => setImmediate(() => resolve(connection)));
          });
        });
        request.on('error', reject);
      });
      const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      // The socket is idle in the agent's pool, still connected, when the signal arrives.
      expect(socket.destroyed).toBe(false);
      expect(Object.values(agent.freeSockets).flat()).toContain(socket);

      const exited = exitOf(started.child);
      started.child.kill(signal);
      expect(await exited).toBe(0);
      await socketClosed;
      agent.destroy();
      const logs = started.output();
      expect(logs).toContain('"msg":"stopped"');
      expect(logs).not.toContain('forcing exit');
      expect(logs).not.toContain('shutdown failed');
    },
  );

  it('stops on SIGTERM while seeding: the seed rolls back, and the next start seeds afresh', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'soldgraph-pglite-'));
    try {
      const child = spawnGateway({ PGLITE_DIR: dir, SEED_SIZE: 'default', LOG_LEVEL: 'info' });
      let output = '';
      const seeding = new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('seeding demo data into the empty database')) resolve();
        });
      });
      const exited = exitOf(child);
      await seeding;
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('"msg":"stopped during start-up"');
      expect(output).not.toContain('"msg":"seeded demo data"');

      const again = await startGatewayProcess({ PGLITE_DIR: dir, SEED_SIZE: 'small' });
      expect(await productCount(again.url)).toBeGreaterThan(0);
      const exitedAgain = exitOf(again.child);
      again.child.kill('SIGTERM');
      expect(await exitedAgain).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses invalid configuration with a clear message and exit code 2', async () => {
    const child = spawnGateway({ PORT: 'not-a-port', DATABASE_URL: 'mysql://nope' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toMatch(/Invalid configuration/);
    expect(stderr).toMatch(/PORT:/);
    expect(stderr).toMatch(/DATABASE_URL: DATABASE_URL must start with postgres:\/\//);
  });
});

describe('npm start is the product', () => {
  const errorOf = async (env: Record<string, string>) => {
    const started = await startGatewayProcess({ PGLITE_DIR: 'memory://', SEED_ON_EMPTY: 'false', ...env });
    const response = await fetch(`${started.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ product(id: "abc") { id } }' }),
    });
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    started.child.kill('SIGTERM');
    await exitOf(started.child);
    return body.errors[0]?.extensions ?? {};
  };

  it('runs in production mode unless told otherwise: no internal details in errors', async () => {
    // An empty value counts as unset (lib/env.ts), as when NODE_ENV is not in the environment.
    const unset = await errorOf({ NODE_ENV: '' });
    expect(unset.code).toBe('BAD_USER_INPUT');
    expect(unset.stacktrace).toBeUndefined();
    const development = await errorOf({ NODE_ENV: 'development' });
    expect(development.stacktrace).toEqual(expect.arrayContaining([expect.stringMatching(/GraphQLError/)]));
  });
});
