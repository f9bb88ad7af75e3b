CREATE TYPE "public"."ingest_run_status" AS ENUM('RUNNING', 'SUCCEEDED', 'FAILED', 'ABANDONED');--> statement-breakpoint
CREATE TYPE "public"."price_kind" AS ENUM('LIST', 'ORIGINAL', 'BID', 'BUY_BOX', 'NEW_OFFER', 'USED_OFFER');--> statement-breakpoint
CREATE TABLE "ingest_quarantine" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ingest_quarantine_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" integer NOT NULL,
	"raw_id" bigint,
	"source" text NOT NULL,
	"locator" text NOT NULL,
	"code" text NOT NULL,
	"reason" text NOT NULL,
	"record" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingest_quarantine_raw_locator_code_key" UNIQUE NULLS NOT DISTINCT("raw_id","locator","code")
);
--> statement-breakpoint
CREATE TABLE "ingest_run_pages" (
	"run_id" integer NOT NULL,
	"page" integer NOT NULL,
	"raw_id" bigint NOT NULL,
	CONSTRAINT "ingest_run_pages_run_id_page_pk" PRIMARY KEY("run_id","page")
);
--> statement-breakpoint
CREATE TABLE "ingest_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ingest_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" "ingest_run_status" DEFAULT 'RUNNING' NOT NULL,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"heartbeat_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"fetched" integer DEFAULT 0 NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"quarantined" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"timings" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingest_watermarks" (
	"source" text NOT NULL,
	"scope" text NOT NULL,
	"value" text NOT NULL,
	"run_id" integer,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingest_watermarks_source_scope_pk" PRIMARY KEY("source","scope")
);
--> statement-breakpoint
CREATE TABLE "staging_raw" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "staging_raw_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"endpoint" text NOT NULL,
	"request" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" smallint NOT NULL,
	"content_type" text,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"checksum" text NOT NULL,
	"body" text NOT NULL,
	"run_id" integer,
	CONSTRAINT "staging_raw_source_checksum_key" UNIQUE("source","checksum")
);
--> statement-breakpoint
CREATE TABLE "price_observations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "price_observations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"observed_at" timestamp (3) with time zone NOT NULL,
	"kind" "price_kind" NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "price_observations_product_kind_observed_key" UNIQUE("product_id","kind","observed_at"),
	CONSTRAINT "price_observations_amount_non_negative" CHECK ("price_observations"."amount_minor" >= 0),
	CONSTRAINT "price_observations_currency_iso4217" CHECK ("price_observations"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "sales_rank_observations" (
	"product_id" integer NOT NULL,
	"observed_at" timestamp (3) with time zone NOT NULL,
	"rank" integer NOT NULL,
	CONSTRAINT "sales_rank_observations_product_observed_key" UNIQUE("product_id","observed_at")
);
--> statement-breakpoint
CREATE TABLE "sold_snapshots" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sold_snapshots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"observed_at" timestamp (3) with time zone NOT NULL,
	"total_sold_quantity" integer NOT NULL,
	"last_sold_at" timestamp (3) with time zone,
	"last_sold_price_minor" bigint,
	"currency" char(3),
	"raw_id" bigint,
	CONSTRAINT "sold_snapshots_product_observed_key" UNIQUE("product_id","observed_at"),
	CONSTRAINT "sold_snapshots_total_non_negative" CHECK ("sold_snapshots"."total_sold_quantity" >= 0)
);
--> statement-breakpoint
ALTER TABLE "ingest_quarantine" ADD CONSTRAINT "ingest_quarantine_run_id_ingest_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."ingest_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_quarantine" ADD CONSTRAINT "ingest_quarantine_raw_id_staging_raw_id_fk" FOREIGN KEY ("raw_id") REFERENCES "public"."staging_raw"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_run_pages" ADD CONSTRAINT "ingest_run_pages_run_id_ingest_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."ingest_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_run_pages" ADD CONSTRAINT "ingest_run_pages_raw_id_staging_raw_id_fk" FOREIGN KEY ("raw_id") REFERENCES "public"."staging_raw"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_watermarks" ADD CONSTRAINT "ingest_watermarks_run_id_ingest_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."ingest_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staging_raw" ADD CONSTRAINT "staging_raw_run_id_ingest_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."ingest_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_observations" ADD CONSTRAINT "price_observations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_rank_observations" ADD CONSTRAINT "sales_rank_observations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sold_snapshots" ADD CONSTRAINT "sold_snapshots_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sold_snapshots" ADD CONSTRAINT "sold_snapshots_raw_id_staging_raw_id_fk" FOREIGN KEY ("raw_id") REFERENCES "public"."staging_raw"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ingest_quarantine_run_id_idx" ON "ingest_quarantine" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "ingest_run_pages_raw_id_idx" ON "ingest_run_pages" USING btree ("raw_id");--> statement-breakpoint
CREATE INDEX "ingest_runs_source_started_idx" ON "ingest_runs" USING btree ("source","started_at");--> statement-breakpoint
CREATE INDEX "staging_raw_received_at_idx" ON "staging_raw" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "price_observations_product_observed_idx" ON "price_observations" USING btree ("product_id","observed_at");