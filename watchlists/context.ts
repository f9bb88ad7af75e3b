import DataLoader from 'dataloader';
import type { CoreClient } from './core-client';
import type { StatementTally, WatchlistsDb } from './db/client';
import { productWatches, type ProductWatch } from './store';

/** What every resolver of the watchlists subgraph gets. */
export type WatchlistsContext = {
  /**
   * Whose watchlist this request reads and writes: `local` without a key in open mode,
   * `key:<hash>` with a key the core accepted, null for a caller without a key in keys mode.
   */
  owner: string | null;
  db: WatchlistsDb;
  core: CoreClient;
  /** Watcher count and the owner's alert per product id, batched per request (one statement). */
  productWatch: DataLoader<number, ProductWatch>;
  /** The SQL statements this request has issued so far (the `x-sql-statements` header). */
  statements: StatementTally;
};

/** A fresh context per request: its loader batches and memoizes for that request only. */
export function createContext(
  db: WatchlistsDb,
  core: CoreClient,
  owner: string | null,
  statements: StatementTally,
): WatchlistsContext {
  const productWatch = new DataLoader<number, ProductWatch>(async (ids) => {
    const found = await productWatches(db, owner, ids);
    return ids.map((id) => found.get(id) ?? { watchers: 0, alert: null });
  });
  return { owner, db, core, productWatch, statements };
}
