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
ALTER TABLE "ingest_mart_pending" ALTER COLUMN "product_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "ingest_mart_pending" ADD COLUMN "id" bigint PRIMARY KEY NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "ingest_mart_pending_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);