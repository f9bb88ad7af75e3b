import { sql } from 'drizzle-orm';
import { currencyExponent } from '../../lib/money';
import type { Executor } from '../client';
import { exchangeRates } from '../schema';
import { TYPICAL_PER_USD } from './catalog';
import { Random } from './random';

export type RateRow = { day: string; currency: string; unitsPerUsd: number };

/**
 * Deterministic daily rates for the demo currencies from `from` to `to` (UTC days): a
 * mean-reverting random walk of about 0.3% a day around TYPICAL_PER_USD.
 */
export function demoExchangeRates(from: Date, to: Date, seed: number): RateRow[] {
  const random = new Random(seed);
  const rows: RateRow[] = [];
  const drift = new Map(Object.keys(TYPICAL_PER_USD).map((currency) => [currency, 0]));
  for (
    let day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    day <= to.getTime();
    day += 86_400_000
  ) {
    const iso = new Date(day).toISOString().slice(0, 10);
    for (const [currency, level] of Object.entries(TYPICAL_PER_USD)) {
      const previous = drift.get(currency) ?? 0;
      const next = currency === 'USD' ? 0 : previous * 0.98 + random.normal() * 0.003;
      drift.set(currency, next);
      rows.push({ day: iso, currency, unitsPerUsd: Number((level * Math.exp(next)).toFixed(6)) });
    }
  }
  return rows;
}

/** Stores rates, replacing any already stored for the same day and currency. */
export async function storeExchangeRates(tx: Executor, rows: RateRow[]): Promise<void> {
  if (rows.length === 0) return;
  const minor = rows.map((row) => row.unitsPerUsd * 10 ** currencyExponent(row.currency));
  await tx.execute(sql`
    insert into ${exchangeRates} (day, currency, units_per_usd, minor_per_usd)
    select * from unnest(${sql.param(rows.map((r) => r.day))}::date[], ${sql.param(rows.map((r) => r.currency))}::text[],
                         ${sql.param(rows.map((r) => r.unitsPerUsd))}::numeric[], ${sql.param(minor)}::float8[])
    on conflict (day, currency) do update
      set units_per_usd = excluded.units_per_usd, minor_per_usd = excluded.minor_per_usd`);
}
