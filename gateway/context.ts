import { createDataClient } from '../data/client';
import type { Db } from '../db/client';
import type { EntityCache } from '../lib/cache';
import type { Context } from '../resolvers/context';
import type { CacheDecision, CacheStatus } from './cache-decision';
import { type Audience, openAudience } from './policy';

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
};

/** The resolvers' context plus what the gateway's own plugins need about the request. */
export type GatewayContext = Context & {
  audience: Audience;
  log: RequestLog;
  /** Aborted when the request passes its deadline or its client goes away. */
  signal: AbortSignal;
  /** The response cache's decision for this request; absent when the cache is off. */
  responseCache?: CacheDecision;
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

/** Builds a request's context: a new data client, so nothing memoized leaks between requests. */
export function createContext(options: ContextOptions): GatewayContext {
  return {
    data: createDataClient(options.db, options.cache),
    requestId: options.requestId,
    audience: options.audience ?? openAudience(),
    log: options.log ?? {},
    signal: options.signal ?? new AbortController().signal,
    responseCache: options.responseCache,
  };
}
