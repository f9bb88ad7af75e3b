/** One payload from parsed records to committed core: validate, upsert, quarantine, in one transaction. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { ParsedPayload } from '../types';
import { type MarketplaceIds, type Sighting, writeCore } from './core';
import type { Executor } from '../../db/client';
import { jsonbText } from '../../db/jsonb';
import { withCoreTransaction } from './transaction';
import { type RecordIssue, type ValidRecord, validateRecord } from './validate';

export type PayloadResult = {
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  categoriesChanged: number;
  /** The marketplaces whose listings the payload wrote (ids), for cache invalidation. */
  marketplaceIds: number[];
};

export type PayloadContext = {
  runId: number;
  rawId: number;
  source: string;
  marketplaceIds: MarketplaceIds;
  /** Set for a search that tracks presence: the payload's listings were found in this scope by this run. */
  sighting?: Sighting;
};

/**
 * The rows a payload writes, to decide whether it may commit while another payload is still
 * committing: payloads writing disjoint keys end the same in either order. Listings and sold
 * snapshots make a payload `exclusive`, because later payloads read what they write (a sale
 * finds its listing, derived sales come from the snapshot history); it commits alone.
 */
export type Footprint = { exclusive: boolean; keys: ReadonlySet<string> };

/** Whether two payloads must commit one after the other, in payload order. */
export function overlaps(a: Footprint, b: Footprint): boolean {
  if (a.exclusive || b.exclusive) return true;
  const [small, large] = a.keys.size <= b.keys.size ? [a.keys, b.keys] : [b.keys, a.keys];
  for (const key of small) if (large.has(key)) return true;
  return false;
}

/** A record's natural key in core, or undefined for kinds that make a payload exclusive. */
function naturalKey(record: ValidRecord): string | undefined {
  const listing = `${record.marketplace}\u0000${record.externalId}`;
  switch (record.kind) {
    case 'sale':
      return `sale\u0000${listing}\u0000${record.sourceKey}`;
    case 'priceObservation':
      return `price\u0000${listing}\u0000${record.observedAt.getTime()}\u0000${record.priceKind}`;
    case 'salesRank':
      return `rank\u0000${listing}\u0000${record.observedAt.getTime()}`;
    default:
      return undefined;
  }
}

/**
 * A parsed payload after validation: what core will write, the records it sets aside
 * (`issues`), and the fields it dropped from records it keeps (`notes`, quarantined too but
 * not counted as quarantined records).
 */
export type PreparedPayload = {
  fetched: number;
  valid: ValidRecord[];
  issues: RecordIssue[];
  notes: RecordIssue[];
  footprint: Footprint;
};

/** Validates every record of a parsed payload (pure, no I/O), so it can run while the previous payload commits. */
export function preparePayload(parsed: ParsedPayload): PreparedPayload {
  const valid: ValidRecord[] = [];
  const issues: RecordIssue[] = parsed.rejects.map((reject) => ({ ...reject }));
  const notes: RecordIssue[] = [];
  const keys = new Set<string>();
  let exclusive = false;
  for (const record of parsed.records) {
    const result = validateRecord(record);
    if (!result.ok) {
      issues.push(result.issue);
      continue;
    }
    valid.push(result.value);
    if (result.notes.length > 0) notes.push(...result.notes);
    const key = naturalKey(result.value);
    if (key === undefined) exclusive = true;
    else keys.add(key);
  }
  return {
    fetched: parsed.records.length + parsed.rejects.length,
    valid,
    issues,
    notes,
    footprint: { exclusive, keys },
  };
}

/** Commits a prepared payload's core rows and its quarantine together: all of the payload lands or none of it. */
export async function commitPayload(
  db: Db,
  prepared: PreparedPayload,
  context: PayloadContext,
): Promise<PayloadResult> {
  return withCoreTransaction(db, async (core) => {
    const written = await writeCore(core, prepared.valid, context.marketplaceIds, context.rawId, context.sighting);
    const quarantined = [...prepared.issues, ...written.issues];
    await quarantine(core.tx, [...quarantined, ...prepared.notes], context);
    return {
      fetched: prepared.fetched,
      inserted: written.inserted,
      updated: written.updated,
      unchanged: prepared.fetched - quarantined.length - written.inserted - written.updated,
      quarantined: quarantined.length,
      categoriesChanged: written.categoriesChanged,
      marketplaceIds: written.inserted + written.updated > 0 ? written.marketplaceIds : [],
    };
  });
}

/** Sets records aside with their reason and raw payload; the same record of the same payload once. */
async function quarantine(
  tx: Executor,
  issues: readonly RecordIssue[],
  context: Omit<PayloadContext, 'marketplaceIds' | 'sighting'>,
): Promise<void> {
  if (issues.length === 0) return;
  await tx.execute(sql`
    insert into ingest_quarantine (run_id, raw_id, source, locator, code, reason, record)
    select ${context.runId}, ${context.rawId}, ${context.source}, u.locator, u.code, u.reason, u.record::jsonb
    from unnest(${sql.param(issues.map((i) => i.locator))}::text[], ${sql.param(issues.map((i) => i.code))}::text[],
                ${sql.param(issues.map((i) => i.reason))}::text[],
                ${sql.param(issues.map((i) => recordJson(i.record)))}::text[])
           as u(locator, code, reason, record)
    on conflict (raw_id, locator, code) do nothing`);
}

/** The record as JSON text for jsonb, or null when there is none. */
function recordJson(record: unknown): string | null {
  return record === undefined ? null : jsonbText(record);
}
