/**
 * Loads the generated demo data into the database with a handful of bulk statements:
 * every table is written with `insert ... select from unnest($1::type[], ...)`, one statement
 * per table per chunk of products, and generated ids come back through RETURNING (identity
 * columns are never overridden, so sequences stay consistent for later inserts).
 *
 * Everything runs in ONE transaction for every size, so a failed or interrupted seed leaves
 * the database as it was (no half-seeded state that `isDatabaseEmpty` would misjudge). The
 * large size therefore holds one long transaction on PostgreSQL; each statement stays small
 * (one chunk), well under the pool's statement timeout.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from '../client';
import { rebuildMartWithin } from '../mart';
import { monthPartitions } from '../partitions';
import { demoExchangeRates, storeExchangeRates } from './exchange-rates';
import {
  chunked,
  type DemoCategory,
  type DemoData,
  type DemoMarketplace,
  type DemoProduct,
  DEMO_SEED,
  generateDemoData,
  type SeedSize,
} from './generate';

/** Products per bulk statement; ~25k sales and ~3k images ride along per chunk on average. */
const DEFAULT_CHUNK_SIZE = 1_000;

export type SeedOptions = {
  size: SeedSize;
  /** Defaults to DEMO_SEED. */
  seed?: number;
  /**
   * End of the simulated three years; defaults to the start of the current UTC day, so every
   * seed run on the same day produces the same data.
   */
  now?: Date;
  /** Products per bulk statement (default DEFAULT_CHUNK_SIZE). */
  chunkSize?: number;
  /** Called after each chunk is written; for progress output on the large size. */
  onProgress?: (progress: SeedProgress) => void;
  /** Stops the seed between chunks (a shutdown during start-up); its transaction rolls back. */
  signal?: AbortSignal;
};

export type SeedProgress = { products: number; totalProducts: number; images: number; sales: number };

export type SeedCounts = {
  marketplaces: number;
  categories: number;
  products: number;
  images: number;
  sales: number;
};

/**
 * Inserts the demo dataset. Expects the demo tables to hold no conflicting rows (an empty
 * database; check with `isDatabaseEmpty`), and throws without writing anything otherwise.
 * @example
 *   if (await isDatabaseEmpty(db)) await seedDemoData(db, { size: 'default' });
 */
export async function seedDemoData(db: Db, options: SeedOptions): Promise<SeedCounts> {
  const now = options.now ?? startOfUtcDay(new Date());
  const seed = options.seed ?? DEMO_SEED;
  const data = generateDemoData({ size: options.size, seed, now });
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const counts = await db.transaction(async (tx) => {
    // However short the connection's statement_timeout (the gateway sets one), a large seed and
    // its mart rebuild take as long as they take.
    await tx.execute(sql`set local statement_timeout = 0`);
    // Rates and sales partitions cover every day a sale can fall on.
    const historyFrom = new Date(now.getTime() - 3 * 366 * 86_400_000);
    await tx.execute(monthPartitions('sales', historyFrom, now));
    const written = await writeDemoData(tx, data, chunkSize, options);
    await storeExchangeRates(tx, demoExchangeRates(historyFrom, now, seed));
    await rebuildMartWithin(tx);
    return written;
  });
  // Statistics for the planner, so it picks the indexes right after the bulk load. PGlite runs
  // no autovacuum: without this the embedded database (`npm start`'s first seed) is planned blind.
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = 0`);
    await tx.execute(sql`analyze`);
  });
  return counts;
}

/** True when there are no products: the gateway seeds such a database on start. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const rows = rowsOf(await db.execute(sql`select exists (select 1 from products) as "hasProducts"`));
  return rows[0]?.hasProducts === false;
}

/** Empties every demo table and restarts their id sequences (used by `seed --reset`). */
export async function truncateDemoTables(db: Db): Promise<void> {
  await db.execute(
    sql`truncate table sales, images, products, categories, canonical_categories, marketplaces, exchange_rates restart identity cascade`,
  );
}

async function writeDemoData(
  tx: Executor,
  data: DemoData,
  chunkSize: number,
  { onProgress, signal }: Pick<SeedOptions, 'onProgress' | 'signal'>,
): Promise<SeedCounts> {
  const marketplaceIds = await insertMarketplaces(tx, data.marketplaces);
  const categoryIds = await insertCategories(tx, data.categories, marketplaceIds);
  const counts: SeedCounts = {
    marketplaces: marketplaceIds.size,
    categories: categoryIds.length,
    products: 0,
    images: 0,
    sales: 0,
  };
  // The sales insert of one chunk is left running while the next chunk is generated (CPU work in
  // this process), which overlaps the two on node-postgres; the driver keeps statement order.
  let pendingSales: Promise<number> | undefined;
  const report = (sales: number): void => {
    counts.sales += sales;
    onProgress?.({
      products: counts.products,
      totalProducts: data.productCount,
      images: counts.images,
      sales: counts.sales,
    });
  };
  for (const chunk of chunked(data.products(), chunkSize)) {
    if (pendingSales) report(await pendingSales);
    signal?.throwIfAborted();
    const productIds = await insertProducts(tx, chunk, marketplaceIds, categoryIds);
    counts.products += productIds.length;
    counts.images += await insertImages(tx, chunk, productIds);
    const sales = insertSales(tx, chunk, productIds);
    // Awaited on the next turn; without a handler now, a quick failure would crash the process.
    sales.catch(() => undefined);
    pendingSales = sales;
    // Let the driver write the statement out before generation blocks the thread.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (pendingSales) report(await pendingSales);
  return counts;
}

/** Returns marketplace code => id. */
async function insertMarketplaces(tx: Executor, marketplaces: DemoMarketplace[]): Promise<Map<string, number>> {
  const rows = rowsOf(
    await tx.execute(sql`
      insert into marketplaces (code, name, default_currency)
      select * from unnest(${array(marketplaces.map((m) => m.code))}::text[],
                           ${array(marketplaces.map((m) => m.name))}::text[],
                           ${array(marketplaces.map((m) => m.defaultCurrency))}::text[])
      returning id, code`),
  );
  return new Map(rows.map((row) => [String(row.code), toId(row.id)]));
}

/**
 * Inserts the trees level by level (parents first, so children know their parent's id), then
 * sets every `path` in one UPDATE: the path contains the row's own id, known only after insert.
 * Returns DB ids indexed like `categories`.
 */
async function insertCategories(
  tx: Executor,
  categories: DemoCategory[],
  marketplaceIds: Map<string, number>,
): Promise<number[]> {
  const ids: number[] = new Array<number>(categories.length).fill(0);
  const paths: string[] = new Array<string>(categories.length).fill('');
  for (const depth of [0, 1, 2] as const) {
    const level = categories.filter((c) => c.depth === depth);
    if (level.length === 0) continue;
    const parentIds = level.map((c) => (c.parentIndex === null ? null : lookup(ids, c.parentIndex, 'parent category')));
    const rows = rowsOf(
      await tx.execute(sql`
        insert into categories (marketplace_id, external_id, parent_id, name, path, depth)
        select u.marketplace_id, u.external_id, u.parent_id, u.name, '', ${depth}::smallint
        from unnest(${array(level.map((c) => marketplaceIdOf(marketplaceIds, c.marketplaceCode)))}::int[],
                    ${array(level.map((c) => c.externalId))}::text[],
                    ${array(parentIds)}::int[],
                    ${array(level.map((c) => c.name))}::text[])
               as u(marketplace_id, external_id, parent_id, name)
        returning id, marketplace_id, external_id`),
    );
    const idByKey = new Map(
      rows.map((row) => [`${toId(row.marketplace_id)}:${String(row.external_id)}`, toId(row.id)]),
    );
    for (const category of level) {
      const id = idByKey.get(`${marketplaceIdOf(marketplaceIds, category.marketplaceCode)}:${category.externalId}`);
      if (id === undefined) throw new Error(`seed: category ${category.externalId} was not inserted`);
      ids[category.index] = id;
      const parentPath = category.parentIndex === null ? '/' : (paths[category.parentIndex] ?? '/');
      paths[category.index] = `${parentPath}${id}/`;
    }
  }
  await tx.execute(sql`
    update categories c set path = u.path
    from unnest(${array(ids)}::int[], ${array(paths)}::text[]) as u(id, path)
    where c.id = u.id`);
  return ids;
}

/** Returns the new product ids in `chunk` order. */
async function insertProducts(
  tx: Executor,
  chunk: DemoProduct[],
  marketplaceIds: Map<string, number>,
  categoryIds: number[],
): Promise<number[]> {
  const column = <T>(pick: (p: DemoProduct) => T): SQL => array(chunk.map(pick));
  const marketplaceIdFor = (p: DemoProduct) => marketplaceIdOf(marketplaceIds, p.marketplaceCode);
  const rows = rowsOf(
    await tx.execute(sql`
      insert into products (marketplace_id, external_id, title, brand, gtin, mpn, epid, condition, condition_raw,
                            category_id, url, status, price_minor, currency, available_quantity, first_seen_at,
                            last_seen_at)
      select u.marketplace_id, u.external_id, u.title, u.brand, u.gtin, u.mpn, u.epid,
             u.condition::product_condition, u.condition_raw, u.category_id, u.url, u.status::product_status,
             u.price_minor, u.currency, u.available_quantity, to_timestamp(u.first_seen_at),
             to_timestamp(u.last_seen_at)
      from unnest(${column(marketplaceIdFor)}::int[],
                  ${column((p) => p.externalId)}::text[],
                  ${column((p) => p.title)}::text[],
                  ${column((p) => p.brand)}::text[],
                  ${column((p) => p.gtin)}::text[],
                  ${column((p) => p.mpn)}::text[],
                  ${column((p) => p.epid)}::text[],
                  ${column((p) => p.condition)}::text[],
                  ${column((p) => p.conditionRaw)}::text[],
                  ${column((p) => lookup(categoryIds, p.categoryIndex, 'category'))}::int[],
                  ${column((p) => p.url)}::text[],
                  ${column((p) => p.status)}::text[],
                  ${column((p) => p.priceMinor)}::int8[],
                  ${column((p) => p.currency)}::text[],
                  ${column((p) => p.availableQuantity)}::int4[],
                  ${column((p) => epochSeconds(p.firstSeenAt))}::float8[],
                  ${column((p) => epochSeconds(p.lastSeenAt))}::float8[])
             as u(marketplace_id, external_id, title, brand, gtin, mpn, epid, condition, condition_raw,
                  category_id, url, status, price_minor, currency, available_quantity, first_seen_at, last_seen_at)
      returning id, marketplace_id, external_id`),
  );
  // RETURNING order is not guaranteed to follow the input: match rows by their natural key.
  const idByKey = new Map(rows.map((row) => [`${toId(row.marketplace_id)}:${String(row.external_id)}`, toId(row.id)]));
  return chunk.map((product) => {
    const id = idByKey.get(`${marketplaceIdFor(product)}:${product.externalId}`);
    if (id === undefined) throw new Error(`seed: product ${product.externalId} was not inserted`);
    return id;
  });
}

async function insertImages(tx: Executor, chunk: DemoProduct[], productIds: number[]): Promise<number> {
  const productId: number[] = [];
  const url: string[] = [];
  const width: (number | null)[] = [];
  const height: (number | null)[] = [];
  const position: number[] = [];
  const contentHash: (string | null)[] = [];
  chunk.forEach((product, i) => {
    const id = lookup(productIds, i, 'product');
    for (const image of product.images) {
      productId.push(id);
      url.push(image.url);
      width.push(image.width);
      height.push(image.height);
      position.push(image.position);
      contentHash.push(image.contentHash);
    }
  });
  if (productId.length === 0) return 0;
  await tx.execute(sql`
    insert into images (product_id, url, width, height, position, content_hash)
    select * from unnest(${array(productId)}::int[], ${array(url)}::text[], ${array(width)}::int[],
                         ${array(height)}::int[], ${array(position)}::smallint[], ${array(contentHash)}::text[])`);
  return productId.length;
}

async function insertSales(tx: Executor, chunk: DemoProduct[], productIds: number[]): Promise<number> {
  const productId: number[] = [];
  const sourceKey: string[] = [];
  const soldAt: number[] = [];
  const unitPrice: number[] = [];
  const currency: string[] = [];
  const quantity: number[] = [];
  const shipping: (number | null)[] = [];
  const granularity: string[] = [];
  chunk.forEach((product, i) => {
    const id = lookup(productIds, i, 'product');
    for (const sale of product.sales) {
      productId.push(id);
      sourceKey.push(sale.sourceKey);
      soldAt.push(epochSeconds(sale.soldAt));
      unitPrice.push(sale.unitPriceMinor);
      currency.push(sale.currency);
      quantity.push(sale.quantity);
      shipping.push(sale.shippingMinor);
      granularity.push(sale.granularity);
    }
  });
  if (productId.length === 0) return 0;
  await tx.execute(sql`
    insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity, shipping_minor, granularity)
    select u.product_id, u.source_key, to_timestamp(u.sold_at), u.unit_price_minor, u.currency, u.quantity,
           u.shipping_minor, u.granularity::sale_granularity
    from unnest(${array(productId)}::int[], ${array(sourceKey)}::text[], ${array(soldAt)}::float8[],
                ${array(unitPrice)}::int8[], ${array(currency)}::text[], ${array(quantity)}::int[],
                ${array(shipping)}::int8[], ${array(granularity)}::text[])
           as u(product_id, source_key, sold_at, unit_price_minor, currency, quantity, shipping_minor, granularity)`);
  return productId.length;
}

/**
 * One bind parameter holding a whole JS array (both node-postgres and PGlite encode it as a
 * PostgreSQL array). A bare array in the `sql` template would expand into a list of params.
 */
function array(values: readonly unknown[]): SQL {
  return sql`${sql.param(values)}`;
}

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Whole seconds since the epoch; the generator only produces whole-second timestamps. */
function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** `db.execute` result rows; both drivers return `{ rows }`. */
function rowsOf(result: unknown): Record<string, unknown>[] {
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) {
    return result.rows as Record<string, unknown>[];
  }
  throw new Error('seed: unexpected result shape from db.execute');
}

/** Ids come back as numbers (int4) or strings (int8 on node-postgres). */
function toId(value: unknown): number {
  const id = typeof value === 'string' ? Number(value) : value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new Error(`seed: bad id ${String(value)}`);
  return id;
}

function lookup(values: readonly number[], index: number, what: string): number {
  const value = values[index];
  if (value === undefined || value === 0) throw new Error(`seed: no ${what} id at index ${index}`);
  return value;
}

function marketplaceIdOf(ids: Map<string, number>, code: string): number {
  const id = ids.get(code);
  if (id === undefined) throw new Error(`seed: unknown marketplace ${code}`);
  return id;
}
