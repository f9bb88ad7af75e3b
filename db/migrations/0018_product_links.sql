CREATE TYPE "public"."product_link_verdict" AS ENUM('SAME', 'DIFFERENT');--> statement-breakpoint
CREATE TABLE "product_link_verdicts" (
	"product_id" integer NOT NULL,
	"other_product_id" integer NOT NULL,
	"verdict" "product_link_verdict" NOT NULL,
	"decided_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_link_verdicts_product_id_other_product_id_pk" PRIMARY KEY("product_id","other_product_id"),
	CONSTRAINT "product_link_verdicts_ordered" CHECK ("product_link_verdicts"."product_id" < "product_link_verdicts"."other_product_id")
);
--> statement-breakpoint
ALTER TABLE "product_link_verdicts" ADD CONSTRAINT "product_link_verdicts_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_link_verdicts" ADD CONSTRAINT "product_link_verdicts_other_product_id_products_id_fk" FOREIGN KEY ("other_product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "product_link_verdicts_other_idx" ON "product_link_verdicts" USING btree ("other_product_id");--> statement-breakpoint
CREATE INDEX "products_gtin_idx" ON "products" USING btree ("gtin") WHERE "products"."gtin" is not null;--> statement-breakpoint
CREATE INDEX "products_epid_idx" ON "products" USING btree ("epid") WHERE "products"."epid" is not null;--> statement-breakpoint
CREATE INDEX "products_external_id_idx" ON "products" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "products_brand_mpn_idx" ON "products" USING btree (lower("brand"),lower("mpn")) WHERE "products"."brand" is not null and "products"."mpn" is not null;