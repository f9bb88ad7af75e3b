import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Database } from '../../db/client';
import { countStatements } from '../../db/query-counter';
import { seedDemoData } from '../../db/seed/load';
import { createContext } from '../../gateway/context';
import { resolvePolicies } from '../../gateway/policy';
import { createGateway, type Gateway, type GatewayOptions } from '../../gateway/server';
import { createEntityCache, type EntityCache } from '../../lib/cache';
import { untilCacheIsUp } from './cache';
import { openTestDatabase } from './database';

/** Fixed anchor for demo data so every run sees the same rows. */
export const TEST_NOW = new Date('2026-06-30T00:00:00Z');

export type GraphQLResponse<Data = Record<string, unknown>> = {
  data?: Data | null;
  extensions?: Record<string, unknown>;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
};

export type TestGateway = {
  url: string;
  database: Database;
  /** The test database's PostgreSQL URL (unset on the embedded database). */
  databaseUrl?: string;
  cache: EntityCache;
  gateway: Gateway;
  /** Runs an operation in process through Apollo's executeOperation, counting SQL statements. */
  execute<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ body: GraphQLResponse<Data>; statements: number }>;
  /** POSTs an operation over real HTTP. */
  post<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: GraphQLResponse<Data>; headers: Headers }>;
  stop(): Promise<void>;
};

export type TestGatewayOptions = {
  /** Use this cache instead of the default (Redis with REDIS_URL, memory otherwise). */
  cache?: EntityCache;
  /**
   * Serve through another connection to the test database, e.g. one routed through a
   * TCP proxy a fault test can cut. Receives the test database's URL (PostgreSQL only).
   */
  connectVia?: (databaseUrl: string) => Promise<Database>;
  /** Gateway settings to use instead of the defaults: limits, policies. */
  gateway?: Partial<
    Pick<
      GatewayOptions,
      | 'limits'
      | 'policies'
      | 'costDefaultListSize'
      | 'responseMaxBytes'
      | 'authMode'
      | 'keyCacheMs'
      | 'safelist'
      | 'rateLimits'
      | 'logger'
      | 'costInFlightMax'
      | 'responseCache'
    >
  >;
  /** Connections in the PostgreSQL pool (5 by default; PGlite has one). */
  poolMax?: number;
};

/**
 * Every test request comes from 127.0.0.1 as admin, many in quick succession: unless a test
 * sets its own policies, the admin rate is high enough never to interfere.
 */
const TEST_POLICIES = resolvePolicies({ admin: { requestsPerMinute: 1_000_000 } });

/**
 * Starts a gateway on 127.0.0.1 with its own database seeded with the small demo data and
 * its own cache namespace, for one test file.
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const testDatabase = await openTestDatabase(options.poolMax);
  await seedDemoData(testDatabase.db, { size: 'small', now: TEST_NOW });
  const served = options.connectVia && testDatabase.url ? await options.connectVia(testDatabase.url) : undefined;
  const database = served ?? testDatabase;
  const cache =
    options.cache ??
    createEntityCache({
      redisUrl: process.env.REDIS_URL,
      namespace: `soldgraph-test-${randomBytes(6).toString('hex')}`,
      // Generous so a loaded CI machine does not turn slow answers into misses; the fault
      // tests that exercise the timeout build their own cache.
      timeoutMs: 1_000,
      defaultTtlMs: 60_000,
    });
  if (!options.cache) await untilCacheIsUp(cache);
  const logger = pino({ level: 'silent' });
  const gateway = await createGateway({
    database,
    cache,
    logger,
    exposeErrorDetails: false,
    policies: TEST_POLICIES,
    ...options.gateway,
  });
  await new Promise<void>((resolve) => gateway.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = gateway.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    database,
    databaseUrl: testDatabase.url,
    cache,
    gateway,
    async execute<Data>(query: string, variables?: Record<string, unknown>) {
      const { result, statements } = await countStatements(() =>
        gateway.apollo.executeOperation(
          { query, variables },
          { contextValue: createContext({ db: database.db, cache, requestId: 'test' }) },
        ),
      );
      if (result.body.kind !== 'single') throw new Error('expected a single result');
      return { body: result.body.singleResult as GraphQLResponse<Data>, statements };
    },
    async post<Data>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        body: (await response.json()) as GraphQLResponse<Data>,
        headers: response.headers,
      };
    },
    async stop() {
      await gateway.stop();
      await cache.close();
      await served?.close();
      await testDatabase.close();
    },
  };
}
