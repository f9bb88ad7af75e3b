import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type ImageRow, images, products } from '../db/schema';
import { byKey, columnsOf, groupByKey, idIn } from './batch';
import { prepared } from './prepared';

/**
 * The first `limit` images of each product in gallery order, for all products in one
 * statement: a LATERAL subquery per product walks images_product_position_idx.
 */
export async function imagesForProducts(db: Db, productIds: readonly number[], limit: number): Promise<ImageRow[][]> {
  const statement = prepared(db, 'images_for_products', (name) => {
    const gallery = db
      .select()
      .from(images)
      .where(eq(images.productId, products.id))
      .orderBy(asc(images.position), asc(images.id))
      .limit(sql.placeholder('limit'))
      .as('gallery');
    return db
      .select(columnsOf(gallery, images))
      .from(products)
      .innerJoinLateral(gallery, sql`true`)
      .where(idIn(products.id, sql.placeholder('ids')))
      .prepare(name);
  });
  const rows = await statement.execute({ ids: [...productIds], limit });
  return groupByKey(productIds, rows, (row) => row.productId);
}

/** Batch function for `imageById`. */
export async function imagesByIds(db: Db, ids: readonly number[]): Promise<(ImageRow | null)[]> {
  const rows = await db
    .select()
    .from(images)
    .where(inArray(images.id, [...ids]));
  return byKey(ids, rows, (row) => row.id);
}
