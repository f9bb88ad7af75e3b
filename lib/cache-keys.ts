/**
 * Every key the shared cache holds, in one place: the data layer reads them and whatever
 * makes an entry stale (an ingestion run) deletes them, without either importing the other.
 * Bump a key's version when the shape stored under it changes.
 */
export const CACHE_KEYS = {
  /** Marketplaces and the category taxonomy (data/catalog.ts). */
  catalog: 'catalog:v1',
} as const;
