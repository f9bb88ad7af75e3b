import { createDataClient } from '../data/client';
import type { Db } from '../db/client';
import type { EntityCache } from '../lib/cache';
import type { Context } from '../resolvers/context';
import { type Audience, openAudience } from './policy';

/** What one request's log line says beyond method, path and status; filled in as the request goes. */
export type RequestLog = {
  operationName?: string | null;
  cost?: { estimated: number; actual?: number; budget: number };
};

/** The resolvers' context plus what the gateway's own plugins need about the request. */
export type GatewayContext = Context & { audience: Audience; log: RequestLog };

/** Builds a request's context: a new data client, so nothing memoized leaks between requests. */
export function createContext(
  db: Db,
  cache: EntityCache,
  requestId: string,
  audience: Audience = openAudience(),
  log: RequestLog = {},
): GatewayContext {
  return { data: createDataClient(db, cache), requestId, audience, log };
}
