ALTER TABLE "mart"."category_metrics_daily" DROP CONSTRAINT "category_metrics_daily_marketplace_id_marketplaces_id_fk";
--> statement-breakpoint
ALTER TABLE "mart"."category_metrics_daily" DROP CONSTRAINT "category_metrics_daily_category_id_categories_id_fk";
--> statement-breakpoint
ALTER TABLE "mart"."category_metrics_monthly" DROP CONSTRAINT "category_metrics_monthly_marketplace_id_marketplaces_id_fk";
--> statement-breakpoint
ALTER TABLE "mart"."category_metrics_monthly" DROP CONSTRAINT "category_metrics_monthly_category_id_categories_id_fk";
--> statement-breakpoint
ALTER TABLE "mart"."product_metrics_daily" DROP CONSTRAINT "product_metrics_daily_product_id_products_id_fk";
--> statement-breakpoint
ALTER TABLE "mart"."segment_metrics_daily" DROP CONSTRAINT "segment_metrics_daily_marketplace_id_marketplaces_id_fk";
--> statement-breakpoint
ALTER TABLE "mart"."segment_metrics_daily" DROP CONSTRAINT "segment_metrics_daily_category_id_categories_id_fk";
--> statement-breakpoint
ALTER TABLE "mart"."segment_metrics_monthly" DROP CONSTRAINT "segment_metrics_monthly_marketplace_id_marketplaces_id_fk";
--> statement-breakpoint
ALTER TABLE "mart"."segment_metrics_monthly" DROP CONSTRAINT "segment_metrics_monthly_category_id_categories_id_fk";
--> statement-breakpoint
ALTER TABLE "ingest_mart_pending" DROP CONSTRAINT "ingest_mart_pending_product_id_day_pk";--> statement-breakpoint
-- Pending pairs become pending days: keep one row per day (the whole day is recomputed).
DELETE FROM "ingest_mart_pending" a USING "ingest_mart_pending" b WHERE a."day" = b."day" AND a."product_id" > b."product_id";--> statement-breakpoint
ALTER TABLE "ingest_mart_pending" ADD PRIMARY KEY ("day");--> statement-breakpoint
ALTER TABLE "ingest_mart_pending" DROP COLUMN "product_id";