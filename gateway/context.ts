import type { Db } from '../db/client';
import type { EntityCache } from '../lib/cache';
import { createLoaders, type Loaders } from '../data/loaders';

/** What every resolver receives as its third argument; built fresh for each request. */
export type Context = {
  db: Db;
  cache: EntityCache;
  loaders: Loaders;
  requestId: string;
};

/** Builds a request's context: new loaders, so nothing memoized leaks between requests. */
export function createContext(db: Db, cache: EntityCache, requestId: string): Context {
  return { db, cache, loaders: createLoaders(db, cache), requestId };
}
