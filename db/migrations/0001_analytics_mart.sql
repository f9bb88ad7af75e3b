CREATE SCHEMA "mart";
--> statement-breakpoint
CREATE TABLE "exchange_rates" (
	"day" date NOT NULL,
	"currency" char(3) NOT NULL,
	"units_per_usd" numeric(20, 10) NOT NULL,
	"minor_per_usd" double precision NOT NULL,
	CONSTRAINT "exchange_rates_day_currency_pk" PRIMARY KEY("day","currency")
);
--> statement-breakpoint
CREATE TABLE "mart"."product_metrics_daily" (
	"product_id" integer NOT NULL,
	"day" date NOT NULL,
	"currency" char(3) NOT NULL,
	"sale_count" integer NOT NULL,
	"units" integer NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"min_price_minor" bigint NOT NULL,
	"max_price_minor" bigint NOT NULL,
	CONSTRAINT "product_metrics_daily_product_id_day_currency_pk" PRIMARY KEY("product_id","day","currency")
);
--> statement-breakpoint
CREATE TABLE "mart"."segment_metrics_daily" (
	"day" date NOT NULL,
	"marketplace_id" integer NOT NULL,
	"category_id" integer,
	"brand" text,
	"condition" "product_condition" NOT NULL,
	"currency" char(3) NOT NULL,
	"sale_count" integer NOT NULL,
	"units" integer NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"min_price_minor" bigint NOT NULL,
	"max_price_minor" bigint NOT NULL,
	CONSTRAINT "segment_metrics_daily_key" UNIQUE NULLS NOT DISTINCT("day","marketplace_id","category_id","brand","condition","currency")
);
--> statement-breakpoint
CREATE TABLE "mart"."segment_metrics_monthly" (
	"month" date NOT NULL,
	"marketplace_id" integer NOT NULL,
	"category_id" integer,
	"brand" text,
	"condition" "product_condition" NOT NULL,
	"currency" char(3) NOT NULL,
	"sale_count" integer NOT NULL,
	"units" integer NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"min_price_minor" bigint NOT NULL,
	"max_price_minor" bigint NOT NULL,
	CONSTRAINT "segment_metrics_monthly_key" UNIQUE NULLS NOT DISTINCT("month","marketplace_id","category_id","brand","condition","currency")
);
--> statement-breakpoint
ALTER TABLE "mart"."product_metrics_daily" ADD CONSTRAINT "product_metrics_daily_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mart"."segment_metrics_daily" ADD CONSTRAINT "segment_metrics_daily_marketplace_id_marketplaces_id_fk" FOREIGN KEY ("marketplace_id") REFERENCES "public"."marketplaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mart"."segment_metrics_daily" ADD CONSTRAINT "segment_metrics_daily_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mart"."segment_metrics_monthly" ADD CONSTRAINT "segment_metrics_monthly_marketplace_id_marketplaces_id_fk" FOREIGN KEY ("marketplace_id") REFERENCES "public"."marketplaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mart"."segment_metrics_monthly" ADD CONSTRAINT "segment_metrics_monthly_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "product_metrics_daily_day_idx" ON "mart"."product_metrics_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "segment_metrics_daily_marketplace_day_idx" ON "mart"."segment_metrics_daily" USING btree ("marketplace_id","day");--> statement-breakpoint
CREATE INDEX "segment_metrics_daily_category_day_idx" ON "mart"."segment_metrics_daily" USING btree ("category_id","day");--> statement-breakpoint
CREATE INDEX "segment_metrics_monthly_category_month_idx" ON "mart"."segment_metrics_monthly" USING btree ("category_id","month");