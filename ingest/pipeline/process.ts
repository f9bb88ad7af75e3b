/** One payload from parsed records to committed core: validate, upsert, quarantine, in one transaction. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { ParsedPayload } from '../types';
import { type MarketplaceIds, writeCore } from './core';
import { withCoreTransaction, type Executor } from './transaction';
import { type RecordIssue, type ValidRecord, validateRecord } from './validate';

export type PayloadResult = {
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  categoriesChanged: number;
};

export type PayloadContext = { runId: number; rawId: number; source: string; marketplaceIds: MarketplaceIds };

/** A parsed payload after validation: what core will write and what it sets aside. */
export type PreparedPayload = { fetched: number; valid: ValidRecord[]; issues: RecordIssue[] };

/** Validates every record of a parsed payload (pure, no I/O), so it can run while the previous payload commits. */
export function preparePayload(parsed: ParsedPayload): PreparedPayload {
  const valid: ValidRecord[] = [];
  const issues: RecordIssue[] = parsed.rejects.map((reject) => ({ ...reject }));
  for (const record of parsed.records) {
    const result = validateRecord(record);
    if (result.ok) valid.push(result.value);
    else issues.push(result.issue);
  }
  return { fetched: parsed.records.length + parsed.rejects.length, valid, issues };
}

/** Commits a prepared payload's core rows and its quarantine together: all of the payload lands or none of it. */
export async function commitPayload(db: Db, prepared: PreparedPayload, context: PayloadContext): Promise<PayloadResult> {
  return withCoreTransaction(db, async (core) => {
    const written = await writeCore(core, prepared.valid, context.marketplaceIds, context.rawId);
    const quarantined = [...prepared.issues, ...written.issues];
    await quarantine(core.tx, quarantined, context);
    return {
      fetched: prepared.fetched,
      inserted: written.inserted,
      updated: written.updated,
      unchanged: prepared.fetched - quarantined.length - written.inserted - written.updated,
      quarantined: quarantined.length,
      categoriesChanged: written.categoriesChanged,
    };
  });
}

/** Sets records aside with their reason and raw payload; the same record of the same payload once. */
export async function quarantine(tx: Executor, issues: readonly RecordIssue[], context: Omit<PayloadContext, 'marketplaceIds'>): Promise<void> {
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

/** The record as JSON text jsonb accepts: jsonb refuses the \u0000 escape, so NULs stay visible as text. */
function recordJson(record: unknown): string | null {
  if (record === undefined) return null;
  return JSON.stringify(record).replace(/\\u0000/g, '\\\\u0000');
}
