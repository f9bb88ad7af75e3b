import {
  bigint,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { products } from './products';

/**
 * Where a run stands. A run killed midway stays `RUNNING` until the next ingest command or
 * worker start marks it `ABANDONED` (at once when its process is gone from the same host, else
 * when its heartbeat stops); its pages are in `staging_raw`, so nothing is lost.
 */
export const ingestRunStatus = pgEnum('ingest_run_status', ['RUNNING', 'SUCCEEDED', 'FAILED', 'ABANDONED']);

/** What one run counted; every field is a count of records, not of pages, except `pages`. */
export type IngestRunCounts = {
  pages: number;
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
};

/** One execution of a source (a CLI call, a worker job, a replay) and what it did. */
export const ingestRuns = pgTable(
  'ingest_runs',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** Source name, e.g. `ebay-browse`, `ebay-insights`, `keepa`, `file`, `demo`, `replay`. */
    source: text().notNull(),
    /**
     * The incremental stream the run fetched, named as in `ingest_watermarks` (a search on a
     * site, a set of ASINs, a file); null for replays and for runs from before scopes were kept.
     */
    scope: text(),
    /** The options the run was started with (query, category, file name...), secrets removed. */
    parameters: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    status: ingestRunStatus().notNull().default('RUNNING'),
    startedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true, precision: 3 }),
    /** Last sign of life, every few seconds while it runs; a RUNNING run whose heartbeat is old was killed. */
    heartbeatAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** The process running it and its host: a RUNNING run whose process is gone from this host is dead. */
    pid: integer(),
    host: text(),
    pages: integer().notNull().default(0),
    fetched: integer().notNull().default(0),
    inserted: integer().notNull().default(0),
    updated: integer().notNull().default(0),
    unchanged: integer().notNull().default(0),
    quarantined: integer().notNull().default(0),
    /** Failures met on the way: warnings (retried requests, token waits) and the error that ended the run. */
    errors: jsonb().$type<{ at: string; message: string; code?: string; warning?: true }[]>().notNull().default([]),
    /** Milliseconds spent per phase: fetch, parse, core, mart, total. */
    timings: jsonb().$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [
    index('ingest_runs_source_started_idx').on(t.source, t.startedAt),
    index('ingest_runs_source_scope_started_idx').on(t.source, t.scope, t.startedAt),
  ],
);

/**
 * Every payload a source returned, stored before any transformation, immutable. Identical
 * payloads of a source are stored once (`checksum` is the SHA-256 of `request` without its
 * `fetchedAt`, and `body`, see `payloadChecksum`; the row keeps the first fetch); which runs saw
 * which payloads, in which order, is in `ingest_run_pages`.
 */
export const stagingRaw = pgTable(
  'staging_raw',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    source: text().notNull(),
    /** The endpoint or file the payload came from, e.g. `/buy/browse/v1/item_summary/search`. */
    endpoint: text().notNull(),
    /** Request parameters (query string, body, file offsets); no credentials. */
    request: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** HTTP status, or 0 for payloads that did not come over HTTP (files, demo). */
    status: smallint().notNull(),
    contentType: text(),
    receivedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    checksum: text().notNull(),
    body: text().notNull(),
    /** The run that first fetched it. */
    runId: integer().references(() => ingestRuns.id),
  },
  (t) => [
    unique('staging_raw_source_checksum_key').on(t.source, t.checksum),
    index('staging_raw_received_at_idx').on(t.receivedAt),
  ],
);

/** The payloads a run processed, in order: what `replay --run` re-reads. */
export const ingestRunPages = pgTable(
  'ingest_run_pages',
  {
    runId: integer()
      .notNull()
      .references(() => ingestRuns.id, { onDelete: 'cascade' }),
    page: integer().notNull(),
    rawId: bigint({ mode: 'number' })
      .notNull()
      .references(() => stagingRaw.id),
    /**
     * When this run fetched the payload (`request.fetchedAt`): the stored request keeps the
     * first fetch's only, and a replay of this run parses the payload as fetched then.
     */
    fetchedAt: timestamp({ withTimezone: true, precision: 3 }),
  },
  (t) => [primaryKey({ columns: [t.runId, t.page] }), index('ingest_run_pages_raw_id_idx').on(t.rawId)],
);

/** A record that failed validation: kept with its reason and its raw payload, never dropped. */
export const ingestQuarantine = pgTable(
  'ingest_quarantine',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    runId: integer()
      .notNull()
      .references(() => ingestRuns.id, { onDelete: 'cascade' }),
    rawId: bigint({ mode: 'number' }).references(() => stagingRaw.id),
    source: text().notNull(),
    /** Where in the payload: `itemSummaries[3]`, `line 1042`, an item id. */
    locator: text().notNull(),
    /** Stable machine-readable reason, e.g. `INVALID_GTIN`, `UNKNOWN_CURRENCY`. */
    code: text().notNull(),
    /** What was expected and what arrived, for a person. */
    reason: text().notNull(),
    record: jsonb(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    // A re-run or replay of the same payload quarantines the same record once.
    unique('ingest_quarantine_raw_locator_code_key').on(t.rawId, t.locator, t.code).nullsNotDistinct(),
    index('ingest_quarantine_run_id_idx').on(t.runId),
  ],
);

/**
 * How far incremental sync has got, per source and query (`scope`, e.g. a normalized query
 * string). Advanced only after the core transaction holding the data behind it committed.
 */
export const ingestWatermarks = pgTable(
  'ingest_watermarks',
  {
    source: text().notNull(),
    scope: text().notNull(),
    /** ISO-8601 time or a source cursor, opaque to everything but the source. */
    value: text().notNull(),
    runId: integer().references(() => ingestRuns.id, { onDelete: 'set null' }),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.scope] })],
);

/**
 * The listings each search scope found (sources whose complete fetch lists every live listing
 * of its scope: eBay Browse), and the last run that found each. After a complete run of the
 * scope, its listings whose `lastRunId` is another run's were missed: they are marked unseen,
 * then ended (ingest/pipeline/presence.ts).
 */
export const ingestScopeListings = pgTable(
  'ingest_scope_listings',
  {
    source: text().notNull(),
    scope: text().notNull(),
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    lastRunId: integer().references(() => ingestRuns.id, { onDelete: 'set null' }),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.scope, t.productId] }),
    index('ingest_scope_listings_product_id_idx').on(t.productId),
  ],
);

/**
 * UTC days whose sales changed in a committed core transaction but whose mart rollups are not
 * refreshed yet. Written in the same transaction as the sales; a refresh deletes the rows it
 * can see in the transaction that recomputes their days, so a crash puts them back. One row
 * per writing transaction and day, never merged on a key: a day queued by a transaction still
 * open while a refresh runs is invisible to it and stays queued (and two writers never wait on
 * each other's day). Days, not (product, day) pairs: a bulk load touches nearly one pair per
 * sale, and recomputing its days once is cheaper than queueing and probing each pair.
 */
export const ingestMartPending = pgTable('ingest_mart_pending', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  day: date({ mode: 'string' }).notNull(),
});

export type IngestRunRow = typeof ingestRuns.$inferSelect;
export type StagingRawRow = typeof stagingRaw.$inferSelect;
export type NewStagingRaw = typeof stagingRaw.$inferInsert;
export type IngestQuarantineRow = typeof ingestQuarantine.$inferSelect;
export type NewIngestQuarantine = typeof ingestQuarantine.$inferInsert;
export type IngestWatermarkRow = typeof ingestWatermarks.$inferSelect;
