import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type ImageRow, images, products } from '../db/schema';
import { byKey, columnsOf, groupByKey } from './batch';

/**
 * The first `limit` images of each product in gallery order, for all products in one
 * statement: a LATERAL subquery per product walks images_product_position_idx.
 */
export async function imagesForProducts(db: Db, productIds: readonly number[], limit: number): Promise<ImageRow[][]> {
  const gallery = db
    .select()
    .from(images)
    .where(eq(images.productId, products.id))
    .orderBy(asc(images.position), asc(images.id))
    .limit(limit)
    .as('gallery');
  const rows = await db
    .select(columnsOf(gallery, images))
    .from(products)
    .innerJoinLateral(gallery, sql`true`)
    .where(inArray(products.id, [...productIds]));
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
