ALTER TYPE "public"."price_kind" ADD VALUE 'AMAZON';--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "monthly_sold" integer;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "source_updated_at" timestamp (3) with time zone;