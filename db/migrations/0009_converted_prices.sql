ALTER TABLE "products" ADD COLUMN "converted_price_minor" bigint;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "converted_currency" char(3);--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "converted_at" timestamp (3) with time zone;