import { createDataClient } from '../data/client';
import type { Db } from '../db/client';
import type { EntityCache } from '../lib/cache';
import type { Context } from '../resolvers/context';

/** Builds a request's context: a new data client, so nothing memoized leaks between requests. */
export function createContext(db: Db, cache: EntityCache, requestId: string): Context {
  return { data: createDataClient(db, cache), requestId };
}
