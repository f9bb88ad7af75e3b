ALTER TABLE "ingest_runs" ADD COLUMN "pid" integer;--> statement-breakpoint
ALTER TABLE "ingest_runs" ADD COLUMN "host" text;