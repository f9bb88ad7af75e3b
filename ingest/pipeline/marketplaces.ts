import { sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client';
import { MARKETPLACES } from '../../lib/reference';
import type { MarketplaceIds } from './core';

/**
 * Ensures every marketplace records may name (the seed catalog's definitions) exists, so
 * ingest works on an empty database, and returns code => id. Existing rows are left as they
 * are; returns how many were added, for cache invalidation.
 */
export async function ensureMarketplaces(db: Db): Promise<{ ids: MarketplaceIds; added: number }> {
  const inserted = await selectRows(
    db,
    sql`
    insert into marketplaces (code, name, default_currency)
    select * from unnest(${sql.param(MARKETPLACES.map((m) => m.code))}::text[],
                         ${sql.param(MARKETPLACES.map((m) => m.name))}::text[],
                         ${sql.param(MARKETPLACES.map((m) => m.currency))}::text[])
    on conflict (code) do nothing
    returning id`,
  );
  const all = await selectRows<{ id: unknown; code: unknown }>(db, sql`select id, code from marketplaces`);
  return { ids: new Map(all.map((row) => [String(row.code), Number(row.id)])), added: inserted.length };
}
