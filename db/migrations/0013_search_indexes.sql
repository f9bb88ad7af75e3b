DROP INDEX "products_brand_idx";--> statement-breakpoint
DROP INDEX "products_title_search_idx";--> statement-breakpoint
CREATE INDEX "products_brand_lower_idx" ON "products" USING btree (lower("brand"));--> statement-breakpoint
CREATE INDEX "products_title_search_idx" ON "products" USING gin (to_tsvector('simple', soldgraph_unaccent("title")));