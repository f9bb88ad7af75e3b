ALTER TABLE "ingest_runs" ADD COLUMN "scope" text;--> statement-breakpoint
CREATE INDEX "ingest_runs_source_scope_started_idx" ON "ingest_runs" USING btree ("source","scope","started_at");