import { type SQL, sql } from 'drizzle-orm';

/**
 * The canonical category tree (migration 0017). A trigger on `categories` maps every category
 * added, renamed or moved, so ingestion and the seed need nothing from here; this module builds
 * the statements operators use to read and correct the mapping (`npm run db:taxonomy`).
 */

/** One marketplace category with where it maps, as `listMappings` reads it. */
export type MappingRow = {
  marketplace: string;
  externalId: string;
  /** The category's own names from its marketplace's root down, joined by " > ". */
  category: string;
  /** The canonical node's names from the root down, joined by " > "; null while unmapped. */
  canonical: string | null;
  mapping: 'AUTO' | 'MANUAL';
};

/**
 * Every category with its canonical path, by canonical path then marketplace (so the
 * categories sharing a node are listed together).
 */
export function listMappings(): SQL {
  const names = (table: string, alias: string) =>
    sql.raw(`(select string_agg(a.name, ' > ' order by a.depth) from ${table} a
      where ${alias}.path like a.path || '%')`);
  return sql`select m.code as marketplace, c.external_id as "externalId", ${names('categories', 'c')} as category,
      ${names('canonical_categories', 'k')} as canonical, c.canonical_mapping as mapping
    from categories c join marketplaces m on m.id = c.marketplace_id
    left join canonical_categories k on k.id = c.canonical_category_id
    order by k.path nulls last, m.code, c.path`;
}

/**
 * Maps one category by hand onto the canonical node named by `path` (names from the root
 * down), making the nodes that are missing; its sub-categories then map beneath that node.
 * Rows: `{ id }` of the category, none when no category has that marketplace code and id.
 * @example await db.execute(mapCategory('amazon-us', '2335752011', ['Electronics', 'Cell Phones & Accessories']));
 */
export function mapCategory(marketplace: string, externalId: string, path: readonly string[]): SQL {
  return sql`update categories c set canonical_category_id = soldgraph_canonical_node(${sql.param([...path])}::text[]),
      canonical_mapping = 'MANUAL'
    from marketplaces m
    where m.id = c.marketplace_id and m.code = ${marketplace} and c.external_id = ${externalId}
    returning c.id`;
}

/** Hands one category back to the automatic mapping (by its name). Rows as `mapCategory`'s. */
export function unmapCategory(marketplace: string, externalId: string): SQL {
  return sql`update categories c set canonical_mapping = 'AUTO'
    from marketplaces m
    where m.id = c.marketplace_id and m.code = ${marketplace} and c.external_id = ${externalId}
    returning c.id`;
}
