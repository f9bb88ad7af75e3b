import type { RecordIssue } from '../validate';

/** Marketplace code => id, resolved once per run. */
export type MarketplaceIds = ReadonlyMap<string, number>;

/** What one merge did: rows inserted and rows updated (`unchanged` is the rest). */
export type Merged = { inserted: number; updated: number };

/** A count column of a result row as a number (PostgreSQL's count() arrives as a string). */
export function count(row: Record<string, unknown> | undefined, column: string): number {
  return Number(row?.[column] ?? 0);
}

export const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The id of a marketplace by code; validation admits only known codes and the run ensures they exist. */
export function marketplaceId(ids: MarketplaceIds, code: string): number {
  const id = ids.get(code);
  if (id === undefined) throw new Error(`marketplace ${code} is missing from the database`);
  return id;
}

/** Records whose listing is not in `products`, as quarantine issues; `ords` index into `records`. */
export function unknownListings<R extends { locator: string; marketplace: string; externalId: string }>(
  records: readonly R[],
  ords: unknown,
): RecordIssue[] {
  const list = Array.isArray(ords) ? ords : typeof ords === 'string' ? parseIntArray(ords) : [];
  return list.flatMap((ord) => {
    const record = records[Number(ord)];
    if (!record) return [];
    return [
      {
        locator: record.locator,
        code: 'UNKNOWN_LISTING',
        reason: `no listing ${record.externalId} on ${record.marketplace} is known; import the listing first, then re-run or replay`,
        record,
      },
    ];
  });
}

/** node-postgres returns int[] as an array; some paths hand back the `{1,2}` literal. */
function parseIntArray(literal: string): number[] {
  const inner = literal.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map(Number);
}
