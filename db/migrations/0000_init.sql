CREATE TYPE "public"."product_condition" AS ENUM('NEW', 'OPEN_BOX', 'REFURBISHED', 'USED', 'FOR_PARTS', 'UNKNOWN');--> statement-breakpoint
CREATE TYPE "public"."product_status" AS ENUM('ACTIVE', 'ENDED', 'SOLD');--> statement-breakpoint
CREATE TYPE "public"."sale_granularity" AS ENUM('TRANSACTION', 'AGGREGATE_DERIVED');--> statement-breakpoint
CREATE TABLE "marketplaces" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "marketplaces_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"default_currency" char(3) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "marketplaces_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "categories_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"marketplace_id" integer NOT NULL,
	"external_id" text NOT NULL,
	"parent_id" integer,
	"name" text NOT NULL,
	"path" text NOT NULL,
	"depth" smallint NOT NULL,
	CONSTRAINT "categories_marketplace_external_id_key" UNIQUE("marketplace_id","external_id")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "products_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"marketplace_id" integer NOT NULL,
	"external_id" text NOT NULL,
	"title" text NOT NULL,
	"brand" text,
	"gtin" char(14),
	"mpn" text,
	"epid" text,
	"condition" "product_condition" DEFAULT 'UNKNOWN' NOT NULL,
	"condition_raw" text,
	"category_id" integer,
	"url" text,
	"status" "product_status" DEFAULT 'ACTIVE' NOT NULL,
	"price_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"first_seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_marketplace_external_id_key" UNIQUE("marketplace_id","external_id"),
	CONSTRAINT "products_price_non_negative" CHECK ("products"."price_minor" >= 0),
	CONSTRAINT "products_currency_iso4217" CHECK ("products"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "images" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "images_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"url" text NOT NULL,
	"width" integer,
	"height" integer,
	"position" smallint NOT NULL,
	"content_hash" text,
	CONSTRAINT "images_product_url_key" UNIQUE("product_id","url"),
	CONSTRAINT "images_position_non_negative" CHECK ("images"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sales" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sales_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"source_key" text NOT NULL,
	"sold_at" timestamp (3) with time zone NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"shipping_minor" bigint,
	"granularity" "sale_granularity" DEFAULT 'TRANSACTION' NOT NULL,
	CONSTRAINT "sales_product_source_key_key" UNIQUE("product_id","source_key"),
	CONSTRAINT "sales_quantity_positive" CHECK ("sales"."quantity" > 0),
	CONSTRAINT "sales_unit_price_non_negative" CHECK ("sales"."unit_price_minor" >= 0),
	CONSTRAINT "sales_shipping_non_negative" CHECK ("sales"."shipping_minor" >= 0),
	CONSTRAINT "sales_currency_iso4217" CHECK ("sales"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_marketplace_id_marketplaces_id_fk" FOREIGN KEY ("marketplace_id") REFERENCES "public"."marketplaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_parent_id_categories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_marketplace_id_marketplaces_id_fk" FOREIGN KEY ("marketplace_id") REFERENCES "public"."marketplaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "images" ADD CONSTRAINT "images_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "categories_parent_id_idx" ON "categories" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "categories_path_idx" ON "categories" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "products_category_id_idx" ON "products" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "products_brand_idx" ON "products" USING btree ("brand");--> statement-breakpoint
CREATE INDEX "products_title_id_idx" ON "products" USING btree ("title","id");--> statement-breakpoint
CREATE INDEX "products_price_id_idx" ON "products" USING btree ("price_minor","id");--> statement-breakpoint
CREATE INDEX "products_first_seen_id_idx" ON "products" USING btree ("first_seen_at","id");--> statement-breakpoint
CREATE INDEX "products_last_seen_id_idx" ON "products" USING btree ("last_seen_at","id");--> statement-breakpoint
CREATE INDEX "products_title_search_idx" ON "products" USING gin (to_tsvector('simple', "title"));--> statement-breakpoint
CREATE INDEX "images_product_position_idx" ON "images" USING btree ("product_id","position","id");--> statement-breakpoint
CREATE INDEX "sales_product_sold_at_idx" ON "sales" USING btree ("product_id","sold_at","id");--> statement-breakpoint
CREATE INDEX "sales_sold_at_idx" ON "sales" USING btree ("sold_at","id");--> statement-breakpoint
CREATE INDEX "sales_unit_price_idx" ON "sales" USING btree ("unit_price_minor","id");