CREATE TABLE "ingest_scope_listings" (
	"source" text NOT NULL,
	"scope" text NOT NULL,
	"product_id" integer NOT NULL,
	"last_run_id" integer,
	CONSTRAINT "ingest_scope_listings_source_scope_product_id_pk" PRIMARY KEY("source","scope","product_id")
);
--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "unseen_since" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "sold_snapshots" ADD COLUMN "window_days" smallint;--> statement-breakpoint
ALTER TABLE "ingest_scope_listings" ADD CONSTRAINT "ingest_scope_listings_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_scope_listings" ADD CONSTRAINT "ingest_scope_listings_last_run_id_ingest_runs_id_fk" FOREIGN KEY ("last_run_id") REFERENCES "public"."ingest_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ingest_scope_listings_product_id_idx" ON "ingest_scope_listings" USING btree ("product_id");