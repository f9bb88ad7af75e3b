import { createDataClient, type DataClient } from '../data/client';
import type { Db } from '../db/client';
import type { EntityCache } from '../lib/cache';
import type { Context } from '../resolvers/context';
import type { CacheDecision, CacheStatus } from './cache-decision';
import { type Audience, openAudience } from './policy';
import { primaryTarget, type ReadTarget } from './read-target';

/** What one request's log line says beyond method, path and status; filled in as the request goes. */
export type RequestLog = {
  operationName?: string | null;
  role?: string;
  cost?: { estimated: number; actual?: number; budget: number };
  /** `extensions.code` of each error in the answer. */
  errorCodes?: string[];
  /** How the request's reads of the shared cache went. */
  cache?: { hits: number; misses: number };
  /** What the response cache did for the answer. */
  responseCache?: CacheStatus;
  /** Where the request read: `primary` or a replica's name (docs/replicas.md). */
  readFrom?: string;
};

/** The resolvers' context plus what the gateway's own plugins need about the request. */
export type GatewayContext = Context & {
  audience: Audience;
  log: RequestLog;
  /** Aborted when the request passes its deadline or its client goes away. */
  signal: AbortSignal;
  /** The response cache's decision for this request; absent when the cache is off. */
  responseCache?: CacheDecision;
  /** Where `data` reads: the primary until read routing (gateway/read-routing.ts) picks a replica. */
  reads: ReadTarget;
  /** A data client for this request reading from `db` (the catalog always from the primary). */
  dataOn(db: Db): DataClient;
};

export type ContextOptions = {
  db: Db;
  cache: EntityCache;
  requestId: string;
  audience?: Audience;
  log?: RequestLog;
  signal?: AbortSignal;
  responseCache?: CacheDecision;
};

/**
 * Builds a request's context: a new data client, so nothing memoized leaks between requests.
 * It reads from the primary (`db`) unless read routing moves it to a replica.
 */
export function createContext(options: ContextOptions): GatewayContext {
  const dataOn = (db: Db) => createDataClient(db, options.cache, options.db);
  return {
    data: dataOn(options.db),
    reads: primaryTarget(options.db),
    dataOn,
    requestId: options.requestId,
    audience: options.audience ?? openAudience(),
    log: options.log ?? {},
    signal: options.signal ?? new AbortController().signal,
    responseCache: options.responseCache,
  };
}
