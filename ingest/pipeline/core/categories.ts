import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { selectRows } from '../../../db/client';
import { excluded, names, setExcluded } from '../../../db/names';
import { categories } from '../../../db/schema';
import { type CoreTransaction, staged, type StageTable, type StageValue } from '../transaction';
import type { ValidListing } from '../validate';
import { count, type MarketplaceIds, marketplaceId } from './shared';

const CATEGORY_STAGE: StageTable = {
  name: 'ingest_stage_categories',
  columns: [
    ['marketplace_id', 'int4'],
    ['external_id', 'text'],
    ['parent_external_id', 'text'],
    ['name', 'text'],
    ['depth', 'int2'],
    ['partial', 'bool'],
  ],
};

const stage = staged(CATEGORY_STAGE);
const c = alias(categories, 'c');
const p = alias(categories, 'p');
const d = alias(categories, 'd');
const e = alias(categories, 'e');

/**
 * Upserts every category on the listings' paths, root level first (a child needs its parent's
 * id), then sets `path` (`/1/5/9/`, containing the row's own id) for each level. A partial
 * path (SourceCategory.partial) places categories not stored yet and renames, but never moves
 * a stored one: only a full path does, so runs of both kinds agree. Returns how many
 * categories were inserted, renamed or moved: the cached catalog is then stale.
 */
export async function upsertCategories(
  core: CoreTransaction,
  listings: readonly ValidListing[],
  ids: MarketplaceIds,
): Promise<number> {
  const nodes = new Map<string, StageValue[]>();
  let maxDepth = -1;
  for (const listing of listings) {
    const mid = marketplaceId(ids, listing.marketplace);
    listing.category?.forEach((node, depth) => {
      const key = `${mid}:${node.externalId}`;
      // A full path's word on a category beats a partial one's.
      if (nodes.has(key) && (listing.categoryPartial || nodes.get(key)?.[5] === false)) return;
      const parent = depth > 0 ? (listing.category?.[depth - 1]?.externalId ?? null) : null;
      nodes.set(key, [mid, node.externalId, parent, node.name, depth, listing.categoryPartial]);
      maxDepth = Math.max(maxDepth, depth);
    });
  }
  if (nodes.size === 0) return 0;
  await core.stage(CATEGORY_STAGE, [...nodes.values()]);
  let changed = 0;
  for (let depth = 0; depth <= maxDepth; depth += 1) {
    changed += await upsertLevel(core, depth);
    await moveSubtrees(core, depth);
  }
  return changed;
}

/**
 * Inserts or updates the staged categories of one staged depth; returns how many changed. A
 * stored category on a partial path keeps its parent and depth.
 */
async function upsertLevel(core: CoreTransaction, depth: number): Promise<number> {
  const keep = sql`s.partial and ${e.id} is not null`;
  const [upserted] = await selectRows(
    core.tx,
    sql`with up as (
          insert into ${categories} (${names(categories.marketplaceId, categories.externalId, categories.parentId, categories.name, categories.path, categories.depth)})
          select s.marketplace_id, s.external_id, case when ${keep} then ${e.parentId} else ${p.id} end, s.name, '/',
                 case when ${keep} then ${e.depth} else coalesce(${p.depth} + 1, 0) end
          from ${stage} s
          left join ${categories} p on ${p.marketplaceId} = s.marketplace_id and ${p.externalId} = s.parent_external_id
          left join ${categories} e on ${e.marketplaceId} = s.marketplace_id and ${e.externalId} = s.external_id
          where s.depth = ${depth}
          on conflict (${names(categories.marketplaceId, categories.externalId)}) do update
            set ${setExcluded(categories.name, categories.parentId, categories.depth)}
            where (${categories.name}, ${categories.parentId}, ${categories.depth})
                  is distinct from (${excluded(categories.name, categories.parentId, categories.depth)})
          returning 1)
        select count(*) as changed from up`,
  );
  return count(upserted, 'changed');
}

/**
 * Sets the path of each staged category of one depth from its stored parent's. A category
 * that moved takes its whole subtree along: descendants keep their path below it,
 * under its new prefix (and their depth follows), or filters by an ancestor would miss them.
 * A descendant follows its deepest ancestor that moved (two of one line can move in one
 * payload); rows that moved themselves get their own new path and nothing else, so no row is
 * written twice by the statement.
 */
async function moveSubtrees(core: CoreTransaction, depth: number): Promise<void> {
  const newPath = sql`coalesce(${p.path}, '/') || ${c.id} || '/'`;
  const slashes = (path: string) => sql.raw(`(length(${path}) - length(replace(${path}, '/', '')))`);
  await core.tx.execute(sql`
    with moved as (
      select ${c.id} as id, ${c.path} as old_path, ${newPath} as new_path
      from ${categories} c
      join ${stage} s on ${c.marketplaceId} = s.marketplace_id and ${c.externalId} = s.external_id
      left join ${categories} p on ${p.id} = ${c.parentId}
      where s.depth = ${depth} and ${c.path} is distinct from ${newPath}),
    itself as (update ${categories} c set ${names(categories.path)} = m.new_path from moved m where ${c.id} = m.id),
    followers as (
      select distinct on (${d.id}) ${d.id} as id, m.new_path || substr(${d.path}, length(m.old_path) + 1) as path,
             ${d.depth} + ${slashes('m.new_path')} - ${slashes('m.old_path')} as depth
      from ${categories} d join moved m on m.old_path <> '/' and ${d.id} <> m.id and starts_with(${d.path}, m.old_path)
      where ${d.id} not in (select id from moved)
      order by ${d.id}, length(m.old_path) desc)
    update ${categories} d set ${names(categories.path)} = f.path, ${names(categories.depth)} = f.depth
    from followers f where ${d.id} = f.id`);
}
