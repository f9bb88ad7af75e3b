CREATE TABLE "mart"."category_metrics_daily" (
	"day" date NOT NULL,
	"marketplace_id" integer NOT NULL,
	"category_id" integer,
	"currency" char(3) NOT NULL,
	"sale_count" integer NOT NULL,
	"units" integer NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"min_price_minor" bigint NOT NULL,
	"max_price_minor" bigint NOT NULL,
	CONSTRAINT "category_metrics_daily_key" UNIQUE NULLS NOT DISTINCT("day","marketplace_id","category_id","currency")
);
--> statement-breakpoint
CREATE TABLE "mart"."category_metrics_monthly" (
	"month" date NOT NULL,
	"marketplace_id" integer NOT NULL,
	"category_id" integer,
	"currency" char(3) NOT NULL,
	"sale_count" integer NOT NULL,
	"units" integer NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"min_price_minor" bigint NOT NULL,
	"max_price_minor" bigint NOT NULL,
	CONSTRAINT "category_metrics_monthly_key" UNIQUE NULLS NOT DISTINCT("month","marketplace_id","category_id","currency")
);
--> statement-breakpoint
ALTER TABLE "mart"."category_metrics_daily" ADD CONSTRAINT "category_metrics_daily_marketplace_id_marketplaces_id_fk" FOREIGN KEY ("marketplace_id") REFERENCES "public"."marketplaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mart"."category_metrics_daily" ADD CONSTRAINT "category_metrics_daily_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mart"."category_metrics_monthly" ADD CONSTRAINT "category_metrics_monthly_marketplace_id_marketplaces_id_fk" FOREIGN KEY ("marketplace_id") REFERENCES "public"."marketplaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mart"."category_metrics_monthly" ADD CONSTRAINT "category_metrics_monthly_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "category_metrics_daily_marketplace_day_idx" ON "mart"."category_metrics_daily" USING btree ("marketplace_id","day");