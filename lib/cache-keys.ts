/**
 * Every key the shared cache holds, in one place: the data layer reads them and whatever
 * makes an entry stale (an ingestion run) deletes them, without either importing the other.
 * Bump a key's version when the shape stored under it changes.
 */
export const CACHE_KEYS = {
  /** Marketplaces, their category taxonomies and the canonical tree (data/catalog.ts). */
  catalog: 'catalog:v2',
} as const;
