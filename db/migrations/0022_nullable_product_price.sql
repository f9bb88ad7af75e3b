DROP INDEX "products_price_id_idx";--> statement-breakpoint
ALTER TABLE "products" ALTER COLUMN "price_minor" DROP NOT NULL;--> statement-breakpoint
CREATE INDEX "products_price_asc_id_idx" ON "products" USING btree (coalesce("price_minor", 9007199254740991),"id");--> statement-breakpoint
CREATE INDEX "products_price_desc_id_idx" ON "products" USING btree (coalesce("price_minor", -1),"id");