import type { MoneyValue } from '../lib/money';
import type { AlertStatus } from './db/schema';

/** What the core says about a watched product: its status and asking price (null: none, out of stock). */
export type ProductPrice = { status: string; price: MoneyValue | null };

/** An alert as the rules read it. */
export type AlertToEvaluate = {
  targetMinorUnits: number;
  currency: string;
  status: AlertStatus;
  triggeredAt: Date | null;
};

/** An alert's state after the rules ran, and whether it fired just now. */
export type AlertOutcome = {
  status: AlertStatus;
  lastPrice: MoneyValue | null;
  triggeredAt: Date | null;
  fired: boolean;
};

/**
 * The alert rules, applied to one alert with what the core says about its product now:
 * - the product is gone from the catalog: NOT_FOUND;
 * - it ended or sold out: ENDED;
 * - it has no current price (out of stock): WAITING, which re-arms it, so coming back in stock
 *   at or below the target fires again;
 * - its asking price is in another currency than the target: CURRENCY_MISMATCH (amounts in
 *   different currencies are never compared);
 * - its asking price is at or below the target: TRIGGERED; the alert fires (`fired`, a new
 *   `triggeredAt`) only when it was not TRIGGERED already, so it fires once per crossing;
 * - otherwise WAITING, which re-arms it.
 * @example evaluateAlert(alert, { status: 'ACTIVE', price: { minorUnits: 900, currency: 'USD' } }, now)
 */
export function evaluateAlert(alert: AlertToEvaluate, product: ProductPrice | null, now: Date): AlertOutcome {
  const kept = { triggeredAt: alert.triggeredAt, fired: false };
  if (!product) return { status: 'NOT_FOUND', lastPrice: null, ...kept };
  const lastPrice = product.price;
  if (product.status !== 'ACTIVE') return { status: 'ENDED', lastPrice, ...kept };
  if (!lastPrice) return { status: 'WAITING', lastPrice, ...kept };
  if (lastPrice.currency !== alert.currency) return { status: 'CURRENCY_MISMATCH', lastPrice, ...kept };
  if (lastPrice.minorUnits > alert.targetMinorUnits) return { status: 'WAITING', lastPrice, ...kept };
  if (alert.status === 'TRIGGERED') return { status: 'TRIGGERED', lastPrice, ...kept };
  return { status: 'TRIGGERED', lastPrice, triggeredAt: now, fired: true };
}
