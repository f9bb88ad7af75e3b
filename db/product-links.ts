import { type SQL, sql } from 'drizzle-orm';

/**
 * Operators' corrections to the links between listings of one item (table
 * `product_link_verdicts`; the links themselves are read from identifiers by
 * data/product-links.ts). Statements for `npm run db:links`; a pair is stored lower id first.
 */

/** Rows `{ id }` for each of the two products that exists: fewer than two means a bad id. */
export function existingProducts(a: number, b: number): SQL {
  return sql`select id from products where id in (${a}, ${b})`;
}

/**
 * Says two listings are the same item (SAME) or not (DIFFERENT), whatever their identifiers
 * say; a second verdict on a pair replaces the first.
 */
export function recordVerdict(a: number, b: number, verdict: 'SAME' | 'DIFFERENT'): SQL {
  return sql`insert into product_link_verdicts (product_id, other_product_id, verdict)
    values (least(${a}::int, ${b}::int), greatest(${a}::int, ${b}::int), ${verdict})
    on conflict (product_id, other_product_id) do update set verdict = excluded.verdict, decided_at = now()`;
}

/** Drops the verdict on a pair, so its identifiers decide again. Rows: one per verdict dropped. */
export function clearVerdict(a: number, b: number): SQL {
  return sql`delete from product_link_verdicts
    where product_id = least(${a}::int, ${b}::int) and other_product_id = greatest(${a}::int, ${b}::int)
    returning product_id`;
}

/** One verdict, as `listVerdicts` reads it. */
export type VerdictRow = {
  productId: number;
  otherProductId: number;
  verdict: 'SAME' | 'DIFFERENT';
  decidedAt: string;
};

/** Every verdict, newest first. */
export function listVerdicts(): SQL {
  return sql`select product_id as "productId", other_product_id as "otherProductId", verdict,
      to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "decidedAt"
    from product_link_verdicts order by decided_at desc, product_id, other_product_id`;
}
