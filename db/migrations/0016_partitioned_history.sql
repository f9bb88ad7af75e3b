-- History (sales and the three observation tables) partitioned by UTC month. Each table is
-- rebuilt as a partitioned table and its rows copied over, ids kept, in the migration's
-- transaction: a failure leaves the unpartitioned table as it was.
--
-- The partitions always cover every instant, so no write fails for want of one: a partition
-- per month (`sales_2026_12`) and, around and between them, "rest" partitions over the other
-- ranges (`sales_min_to_2023_12`, `sales_2027_04_to_max`). There is no DEFAULT partition: with
-- one, PostgreSQL cannot scan range partitions in order, and "the newest 50 sales of a product"
-- would read every partition instead of stopping at the newest ones that hold enough rows.
--
-- soldgraph_partition_bounds(part) -> the range of partition `part` as (lower, upper), NULL for
-- MINVALUE / MAXVALUE.
CREATE FUNCTION soldgraph_partition_bounds(part regclass, OUT lower timestamptz, OUT upper timestamptz)
LANGUAGE plpgsql STABLE SET datestyle = 'ISO, YMD' SET timezone = 'UTC' AS $$
DECLARE
  bound text := (SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = part);
BEGIN
  lower := nullif((regexp_match(bound, 'FROM \(''?([^)'']+)''?\)'))[1], 'MINVALUE')::timestamptz;
  upper := nullif((regexp_match(bound, 'TO \(''?([^)'']+)''?\)'))[1], 'MAXVALUE')::timestamptz;
END $$;
--> statement-breakpoint
-- soldgraph_attach_range(parent, source, lower, upper) makes the partition of `parent` for
-- [lower, upper) (NULL: unbounded), named after its range, from the rows of table `source` in
-- that range (moved, not copied), and returns its name.
CREATE FUNCTION soldgraph_attach_range(parent regclass, source text, lower timestamptz, upper timestamptz) RETURNS text
LANGUAGE plpgsql SET datestyle = 'ISO, YMD' SET timezone = 'UTC' AS $$
DECLARE
  parent_name text := (SELECT relname FROM pg_class WHERE oid = parent);
  key text := (SELECT a.attname FROM pg_partitioned_table p
               JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] WHERE p.partrelid = parent);
  month_long boolean := lower IS NOT NULL AND upper IS NOT NULL AND upper = lower + interval '1 month';
  part text := parent_name || '_' || CASE WHEN month_long THEN to_char(lower, 'YYYY_MM')
    ELSE coalesce(to_char(lower, 'YYYY_MM'), 'min') || '_to_' || coalesce(to_char(upper, 'YYYY_MM'), 'max') END;
BEGIN
  -- Filled aside, then attached: attaching checks the rows against the range once.
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent_name);
  IF source IS NOT NULL THEN
    EXECUTE format(
      'WITH moved AS (DELETE FROM %I WHERE ($1 IS NULL OR %I >= $1) AND ($2 IS NULL OR %I < $2) RETURNING *) INSERT INTO %I SELECT * FROM moved',
      source, key, key, part) USING lower, upper;
  END IF;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', parent_name, part,
    coalesce(quote_literal(lower::text), 'MINVALUE'), coalesce(quote_literal(upper::text), 'MAXVALUE'));
  RETURN part;
END $$;
--> statement-breakpoint
-- soldgraph_month_partition(parent, month) gives `month` (UTC) a partition of its own: the rest
-- partition holding it is detached and split into the month and what lies either side, its
-- rows moving with their range. Returns the month partition's name, NULL when it had one.
-- Concurrent calls queue on an advisory lock; detaching locks `parent` until commit, so this
-- is upkeep for a quiet moment (usually on an empty rest partition, months ahead).
CREATE FUNCTION soldgraph_month_partition(parent regclass, month date) RETURNS text
LANGUAGE plpgsql SET datestyle = 'ISO, YMD' SET timezone = 'UTC' AS $$
DECLARE
  starts timestamptz := date_trunc('month', month::timestamp)::timestamptz;
  ends timestamptz := date_trunc('month', month::timestamp)::timestamptz + interval '1 month';
  holder regclass;
  range record;
  aside text := (SELECT relname FROM pg_class WHERE oid = parent) || '_splitting';
  made text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('soldgraph_month_partition'));
  SELECT i.inhrelid::regclass INTO STRICT holder
  FROM pg_inherits i, soldgraph_partition_bounds(i.inhrelid::regclass) b
  WHERE i.inhparent = parent AND (b.lower IS NULL OR b.lower <= starts) AND (b.upper IS NULL OR b.upper > starts);
  range := soldgraph_partition_bounds(holder);
  IF range.lower = starts AND range.upper = ends THEN
    RETURN NULL;
  END IF;
  EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, holder);
  EXECUTE format('ALTER TABLE %s RENAME TO %I', holder, aside);
  IF range.lower IS NULL OR range.lower < starts THEN
    PERFORM soldgraph_attach_range(parent, aside, range.lower, starts);
  END IF;
  made := soldgraph_attach_range(parent, aside, starts, ends);
  IF range.upper IS NULL OR range.upper > ends THEN
    PERFORM soldgraph_attach_range(parent, aside, ends, range.upper);
  END IF;
  EXECUTE format('DROP TABLE %I', aside);
  RETURN made;
END $$;
--> statement-breakpoint
-- soldgraph_maintain_partitions(months_ahead, today) gives a partition of its own to this month,
-- the next `months_ahead` months, and every month with rows in a rest partition, for each
-- partitioned table of the current schema; it returns the names it made.
CREATE FUNCTION soldgraph_maintain_partitions(months_ahead integer, today date) RETURNS SETOF text
LANGUAGE plpgsql SET datestyle = 'ISO, YMD' SET timezone = 'UTC' AS $$
DECLARE
  parent regclass;
  key text;
  month date;
  months date[];
  made text;
BEGIN
  FOR parent, key IN
    SELECT p.partrelid::regclass, a.attname
    FROM pg_partitioned_table p
    JOIN pg_class c ON c.oid = p.partrelid
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
    WHERE c.relnamespace = current_schema()::regnamespace
  LOOP
    FOR month IN
      SELECT generate_series(date_trunc('month', today::timestamp), date_trunc('month', today::timestamp) + make_interval(months => months_ahead), interval '1 month')::date
    LOOP
      made := soldgraph_month_partition(parent, month);
      IF made IS NOT NULL THEN
        RETURN NEXT made;
      END IF;
    END LOOP;
    -- The months are read before any split: splitting a rest partition replaces it.
    EXECUTE format('SELECT array_agg(DISTINCT date_trunc(''month'', r.%1$I)::date) FROM (%2$s) r',
      key, (SELECT coalesce(string_agg(format('SELECT %I FROM %s', key, i.inhrelid::regclass), ' UNION ALL '),
                            format('SELECT %I FROM %s WHERE false', key, parent))
            FROM pg_inherits i, soldgraph_partition_bounds(i.inhrelid::regclass) b
            WHERE i.inhparent = parent AND (b.lower IS NULL OR b.upper IS NULL OR b.upper <> b.lower + interval '1 month')))
      INTO months;
    FOREACH month IN ARRAY coalesce(months, '{}')
    LOOP
      made := soldgraph_month_partition(parent, month);
      IF made IS NOT NULL THEN
        RETURN NEXT made;
      END IF;
    END LOOP;
  END LOOP;
END $$;
--> statement-breakpoint
-- soldgraph_archive_before(parent, month) takes every partition of `parent` wholly before
-- `month` out of the table: those holding rows move to the schema `archive` (still readable
-- there), empty ones are dropped, and one empty rest partition covers the range they left.
-- Returns the names archived.
CREATE FUNCTION soldgraph_archive_before(parent regclass, month date) RETURNS SETOF text
LANGUAGE plpgsql SET datestyle = 'ISO, YMD' SET timezone = 'UTC' AS $$
DECLARE
  starts timestamptz := date_trunc('month', month::timestamp)::timestamptz;
  part regclass;
  has_rows boolean;
BEGIN
  -- A partition boundary at `month`, so no partition straddles it.
  PERFORM soldgraph_month_partition(parent, month);
  CREATE SCHEMA IF NOT EXISTS archive;
  FOR part IN
    SELECT i.inhrelid::regclass FROM pg_inherits i, soldgraph_partition_bounds(i.inhrelid::regclass) b
    WHERE i.inhparent = parent AND b.upper <= starts
  LOOP
    EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, part);
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', part) INTO has_rows;
    IF has_rows THEN
      EXECUTE format('ALTER TABLE %s SET SCHEMA archive', part);
      RETURN NEXT (SELECT relname FROM pg_class WHERE oid = part);
    ELSE
      EXECUTE format('DROP TABLE %s', part);
    END IF;
  END LOOP;
  PERFORM soldgraph_attach_range(parent, NULL, NULL, starts);
END $$;
--> statement-breakpoint
-- The old tables step aside: their unique indexes and identity sequences give up the names
-- the new tables take.
ALTER TABLE "sales" RENAME TO "sales_unpartitioned";--> statement-breakpoint
ALTER TABLE "sales_unpartitioned" DROP CONSTRAINT "sales_pkey";--> statement-breakpoint
ALTER TABLE "sales_unpartitioned" DROP CONSTRAINT "sales_product_source_key_key";--> statement-breakpoint
ALTER TABLE "sales_unpartitioned" ALTER COLUMN "id" DROP IDENTITY;--> statement-breakpoint
DROP INDEX "sales_product_sold_at_idx";--> statement-breakpoint
DROP INDEX "sales_sold_at_idx";--> statement-breakpoint
DROP INDEX "sales_unit_price_idx";--> statement-breakpoint
ALTER TABLE "price_observations" RENAME TO "price_observations_unpartitioned";--> statement-breakpoint
ALTER TABLE "price_observations_unpartitioned" DROP CONSTRAINT "price_observations_pkey";--> statement-breakpoint
ALTER TABLE "price_observations_unpartitioned" DROP CONSTRAINT "price_observations_product_kind_observed_key";--> statement-breakpoint
ALTER TABLE "price_observations_unpartitioned" ALTER COLUMN "id" DROP IDENTITY;--> statement-breakpoint
DROP INDEX "price_observations_product_observed_idx";--> statement-breakpoint
ALTER TABLE "sales_rank_observations" RENAME TO "sales_rank_observations_unpartitioned";--> statement-breakpoint
ALTER TABLE "sales_rank_observations_unpartitioned" DROP CONSTRAINT "sales_rank_observations_product_observed_key";--> statement-breakpoint
ALTER TABLE "sold_snapshots" RENAME TO "sold_snapshots_unpartitioned";--> statement-breakpoint
ALTER TABLE "sold_snapshots_unpartitioned" DROP CONSTRAINT "sold_snapshots_pkey";--> statement-breakpoint
ALTER TABLE "sold_snapshots_unpartitioned" DROP CONSTRAINT "sold_snapshots_product_observed_key";--> statement-breakpoint
ALTER TABLE "sold_snapshots_unpartitioned" ALTER COLUMN "id" DROP IDENTITY;--> statement-breakpoint
-- The partitioned tables, without indexes or foreign keys yet: those are built once after the
-- copy rather than maintained row by row during it.
CREATE TABLE "sales" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "sales_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"source_key" text NOT NULL,
	"sold_at" timestamp (3) with time zone NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"shipping_minor" bigint,
	"granularity" "sale_granularity" DEFAULT 'TRANSACTION' NOT NULL,
	CONSTRAINT "sales_quantity_positive" CHECK ("sales"."quantity" > 0),
	CONSTRAINT "sales_unit_price_non_negative" CHECK ("sales"."unit_price_minor" >= 0),
	CONSTRAINT "sales_shipping_non_negative" CHECK ("sales"."shipping_minor" >= 0),
	CONSTRAINT "sales_currency_iso4217" CHECK ("sales"."currency" ~ '^[A-Z]{3}$')
) PARTITION BY RANGE ("sold_at");
--> statement-breakpoint
CREATE TABLE "price_observations" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "price_observations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"observed_at" timestamp (3) with time zone NOT NULL,
	"last_confirmed_at" timestamp (3) with time zone NOT NULL,
	"kind" "price_kind" NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "price_observations_amount_non_negative" CHECK ("price_observations"."amount_minor" >= 0),
	CONSTRAINT "price_observations_currency_iso4217" CHECK ("price_observations"."currency" ~ '^[A-Z]{3}$')
) PARTITION BY RANGE ("observed_at");
--> statement-breakpoint
CREATE TABLE "sales_rank_observations" (
	"product_id" integer NOT NULL,
	"observed_at" timestamp (3) with time zone NOT NULL,
	"last_confirmed_at" timestamp (3) with time zone NOT NULL,
	"rank" bigint NOT NULL
) PARTITION BY RANGE ("observed_at");
--> statement-breakpoint
CREATE TABLE "sold_snapshots" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "sold_snapshots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"observed_at" timestamp (3) with time zone NOT NULL,
	"last_confirmed_at" timestamp (3) with time zone NOT NULL,
	"total_sold_quantity" integer NOT NULL,
	"last_sold_at" timestamp (3) with time zone,
	"last_sold_price_minor" bigint,
	"currency" char(3),
	"raw_id" bigint,
	CONSTRAINT "sold_snapshots_total_non_negative" CHECK ("sold_snapshots"."total_sold_quantity" >= 0)
) PARTITION BY RANGE ("observed_at");
--> statement-breakpoint
-- One rest partition over all time each, split below.
SELECT soldgraph_attach_range('sales', NULL, NULL, NULL);--> statement-breakpoint
SELECT soldgraph_attach_range('price_observations', NULL, NULL, NULL);--> statement-breakpoint
SELECT soldgraph_attach_range('sales_rank_observations', NULL, NULL, NULL);--> statement-breakpoint
SELECT soldgraph_attach_range('sold_snapshots', NULL, NULL, NULL);--> statement-breakpoint
-- One partition per month the stored history covers, then the rows, ids kept.
SELECT soldgraph_month_partition('sales', month)
FROM (SELECT DISTINCT date_trunc('month', "sold_at" AT TIME ZONE 'UTC')::date AS month FROM "sales_unpartitioned") m;--> statement-breakpoint
SELECT soldgraph_month_partition('price_observations', month)
FROM (SELECT DISTINCT date_trunc('month', "observed_at" AT TIME ZONE 'UTC')::date AS month FROM "price_observations_unpartitioned") m;--> statement-breakpoint
SELECT soldgraph_month_partition('sales_rank_observations', month)
FROM (SELECT DISTINCT date_trunc('month', "observed_at" AT TIME ZONE 'UTC')::date AS month FROM "sales_rank_observations_unpartitioned") m;--> statement-breakpoint
SELECT soldgraph_month_partition('sold_snapshots', month)
FROM (SELECT DISTINCT date_trunc('month', "observed_at" AT TIME ZONE 'UTC')::date AS month FROM "sold_snapshots_unpartitioned") m;--> statement-breakpoint
INSERT INTO "sales" ("id", "product_id", "source_key", "sold_at", "unit_price_minor", "currency", "quantity", "shipping_minor", "granularity")
OVERRIDING SYSTEM VALUE
SELECT "id", "product_id", "source_key", "sold_at", "unit_price_minor", "currency", "quantity", "shipping_minor", "granularity" FROM "sales_unpartitioned";--> statement-breakpoint
INSERT INTO "price_observations" ("id", "product_id", "observed_at", "last_confirmed_at", "kind", "amount_minor", "currency", "source")
OVERRIDING SYSTEM VALUE
SELECT "id", "product_id", "observed_at", "last_confirmed_at", "kind", "amount_minor", "currency", "source" FROM "price_observations_unpartitioned";--> statement-breakpoint
INSERT INTO "sales_rank_observations" ("product_id", "observed_at", "last_confirmed_at", "rank")
SELECT "product_id", "observed_at", "last_confirmed_at", "rank" FROM "sales_rank_observations_unpartitioned";--> statement-breakpoint
INSERT INTO "sold_snapshots" ("id", "product_id", "observed_at", "last_confirmed_at", "total_sold_quantity", "last_sold_at", "last_sold_price_minor", "currency", "raw_id")
OVERRIDING SYSTEM VALUE
SELECT "id", "product_id", "observed_at", "last_confirmed_at", "total_sold_quantity", "last_sold_at", "last_sold_price_minor", "currency", "raw_id" FROM "sold_snapshots_unpartitioned";--> statement-breakpoint
-- New ids continue after the copied ones.
SELECT setval(pg_get_serial_sequence('sales', 'id'), max("id")) FROM "sales";--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('price_observations', 'id'), max("id")) FROM "price_observations";--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('sold_snapshots', 'id'), max("id")) FROM "sold_snapshots";--> statement-breakpoint
DROP TABLE "sales_unpartitioned";--> statement-breakpoint
DROP TABLE "price_observations_unpartitioned";--> statement-breakpoint
DROP TABLE "sales_rank_observations_unpartitioned";--> statement-breakpoint
DROP TABLE "sold_snapshots_unpartitioned";--> statement-breakpoint
-- Keys, indexes and foreign keys: a unique key of a partitioned table must hold its partition
-- key, so each gains its time column (sales: a sale whose time changes is moved, see
-- ingest/pipeline/core/sales.ts).
ALTER TABLE "sales" ADD CONSTRAINT "sales_pkey" PRIMARY KEY("id","sold_at");--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_product_source_key_key" UNIQUE("product_id","source_key","sold_at");--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sales_product_sold_at_idx" ON "sales" USING btree ("product_id","sold_at","id");--> statement-breakpoint
CREATE INDEX "sales_sold_at_idx" ON "sales" USING btree ("sold_at","id");--> statement-breakpoint
CREATE INDEX "sales_unit_price_idx" ON "sales" USING btree ("unit_price_minor","id");--> statement-breakpoint
ALTER TABLE "price_observations" ADD CONSTRAINT "price_observations_pkey" PRIMARY KEY("id","observed_at");--> statement-breakpoint
ALTER TABLE "price_observations" ADD CONSTRAINT "price_observations_product_kind_observed_key" UNIQUE("product_id","kind","observed_at");--> statement-breakpoint
ALTER TABLE "price_observations" ADD CONSTRAINT "price_observations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "price_observations_product_observed_idx" ON "price_observations" USING btree ("product_id","observed_at");--> statement-breakpoint
ALTER TABLE "sales_rank_observations" ADD CONSTRAINT "sales_rank_observations_product_observed_key" UNIQUE("product_id","observed_at");--> statement-breakpoint
ALTER TABLE "sales_rank_observations" ADD CONSTRAINT "sales_rank_observations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sold_snapshots" ADD CONSTRAINT "sold_snapshots_pkey" PRIMARY KEY("id","observed_at");--> statement-breakpoint
ALTER TABLE "sold_snapshots" ADD CONSTRAINT "sold_snapshots_product_observed_key" UNIQUE("product_id","observed_at");--> statement-breakpoint
ALTER TABLE "sold_snapshots" ADD CONSTRAINT "sold_snapshots_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sold_snapshots" ADD CONSTRAINT "sold_snapshots_raw_id_staging_raw_id_fk" FOREIGN KEY ("raw_id") REFERENCES "public"."staging_raw"("id") ON DELETE no action ON UPDATE no action;
