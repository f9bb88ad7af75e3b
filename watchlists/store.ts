import { and, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { MoneyValue } from '../lib/money';
import type { WatchlistsDb } from './db/client';
import {
  type AlertEvaluationRow,
  alertEvaluations,
  type AlertStatus,
  priceAlerts,
  type PriceAlertRow,
} from './db/schema';

export type { AlertEvaluationRow, AlertStatus, PriceAlertRow };

/** A product as this subgraph knows it: by the core's key only. */
export type ProductRef = { id: string };

/** What the watchlists hold about one product: how many watch it, and the caller's alert. */
export type ProductWatch = { watchers: number; alert: PriceAlertRow | null };

/**
 * Watcher counts and `owner`'s alert for each product, in one statement however many products
 * are asked for (the `_entities` batch of a federated query). Products nobody watches are absent.
 * @example (await productWatches(db, 'local', [1, 2])).get(1) // { watchers: 3, alert: {...} }
 */
export async function productWatches(
  db: WatchlistsDb,
  owner: string | null,
  productIds: readonly number[],
): Promise<Map<number, ProductWatch>> {
  const counts = db
    .select({ productId: priceAlerts.productId, watchers: count().as('watchers') })
    .from(priceAlerts)
    .where(inArray(priceAlerts.productId, [...productIds]))
    .groupBy(priceAlerts.productId)
    .as('counts');
  const ownAlert = owner === null ? sql`false` : eq(priceAlerts.owner, owner);
  const rows = await db
    .select({ productId: counts.productId, watchers: counts.watchers, alert: priceAlerts })
    .from(counts)
    .leftJoin(priceAlerts, and(eq(priceAlerts.productId, counts.productId), ownAlert));
  return new Map(rows.map((row) => [row.productId, { watchers: Number(row.watchers), alert: row.alert }]));
}

/** `owner`'s alerts, newest first. */
export function alertsOf(db: WatchlistsDb, owner: string, first: number): Promise<PriceAlertRow[]> {
  return db
    .select()
    .from(priceAlerts)
    .where(eq(priceAlerts.owner, owner))
    .orderBy(desc(priceAlerts.createdAt), desc(priceAlerts.id))
    .limit(first);
}

/**
 * Watches `productId` for `owner` at `target`, or moves the target of the watch they have; either
 * way the alert is PENDING until the next evaluation compares it with the new target.
 */
export async function watchProduct(
  db: WatchlistsDb,
  owner: string,
  productId: number,
  target: MoneyValue,
): Promise<PriceAlertRow> {
  const values = { targetMinorUnits: target.minorUnits, currency: target.currency, status: 'PENDING' as const };
  const [row] = await db
    .insert(priceAlerts)
    .values({ owner, productId, ...values })
    .onConflictDoUpdate({
      target: [priceAlerts.owner, priceAlerts.productId],
      set: { ...values, triggeredAt: null, evaluatedAt: null, evaluatedRunId: null },
    })
    .returning();
  if (!row) throw new Error(`the watch of product ${productId} was not stored`);
  return row;
}

/** Stops `owner` watching `productId`; false when they did not. */
export async function unwatchProduct(db: WatchlistsDb, owner: string, productId: number): Promise<boolean> {
  const deleted = await db
    .delete(priceAlerts)
    .where(and(eq(priceAlerts.owner, owner), eq(priceAlerts.productId, productId)))
    .returning({ id: priceAlerts.id });
  return deleted.length > 0;
}

/** The latest pass of the alert rules, or undefined before the first. */
export async function lastEvaluation(db: WatchlistsDb): Promise<AlertEvaluationRow | undefined> {
  const [row] = await db
    .select()
    .from(alertEvaluations)
    .orderBy(desc(alertEvaluations.evaluatedAt), desc(alertEvaluations.runId))
    .limit(1);
  return row;
}

/** Which of `runIds` the alert rules have already followed. */
export async function followedRuns(db: WatchlistsDb, runIds: readonly number[]): Promise<Set<number>> {
  if (runIds.length === 0) return new Set();
  const rows = await db
    .select({ runId: alertEvaluations.runId })
    .from(alertEvaluations)
    .where(inArray(alertEvaluations.runId, [...runIds]));
  return new Set(rows.map((row) => row.runId));
}

/** Up to `limit` alerts with ids above `afterId`, by id: every alert, one page at a time. */
export function alertsAfter(db: WatchlistsDb, afterId: number, limit: number): Promise<PriceAlertRow[]> {
  return db.select().from(priceAlerts).where(gt(priceAlerts.id, afterId)).orderBy(priceAlerts.id).limit(limit);
}

/** An alert's new state after an evaluation. */
export type EvaluatedAlert = {
  id: number;
  status: AlertStatus;
  lastPrice: MoneyValue | null;
  triggeredAt: Date | null;
};

/** Writes a page of evaluated alerts in one statement. */
export async function saveEvaluatedAlerts(
  db: WatchlistsDb,
  alerts: readonly EvaluatedAlert[],
  evaluatedAt: Date,
  runId: number,
): Promise<void> {
  if (alerts.length === 0) return;
  // Each column travels as one array parameter (sql.param), the same on node-postgres and PGlite;
  // the casts give the arrays their types.
  const column = <T>(pick: (alert: EvaluatedAlert) => T) => sql.param(alerts.map(pick));
  await db.execute(sql`
    update ${priceAlerts} set
      status = u.status,
      last_price_minor_units = u.minor_units,
      last_price_currency = u.currency,
      triggered_at = u.triggered_at,
      evaluated_at = ${evaluatedAt.toISOString()}::timestamptz,
      evaluated_run_id = ${runId}
    from unnest(
      ${column((a) => String(a.id))}::bigint[],
      ${column((a) => a.status)}::text[],
      ${column((a) => (a.lastPrice ? String(a.lastPrice.minorUnits) : null))}::bigint[],
      ${column((a) => a.lastPrice?.currency ?? null)}::text[],
      ${column((a) => a.triggeredAt?.toISOString() ?? null)}::timestamptz[]
    ) as u(id, status, minor_units, currency, triggered_at)
    where ${priceAlerts.id} = u.id`);
}

/** Records that the pass at `evaluatedAt` followed `runIds` (each once). */
export async function recordEvaluation(
  db: WatchlistsDb,
  runIds: readonly number[],
  evaluatedAt: Date,
  totals: { alerts: number; triggered: number },
): Promise<void> {
  await db
    .insert(alertEvaluations)
    .values(runIds.map((runId) => ({ runId, evaluatedAt, ...totals })))
    .onConflictDoNothing();
}
