CREATE SCHEMA "watchlists";
--> statement-breakpoint
CREATE TABLE "watchlists"."alert_evaluations" (
	"run_id" bigint PRIMARY KEY NOT NULL,
	"evaluated_at" timestamp with time zone NOT NULL,
	"alerts" integer NOT NULL,
	"triggered" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "watchlists"."price_alerts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "watchlists"."price_alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"owner" text NOT NULL,
	"product_id" bigint NOT NULL,
	"target_minor_units" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"last_price_minor_units" bigint,
	"last_price_currency" text,
	"triggered_at" timestamp with time zone,
	"evaluated_at" timestamp with time zone,
	"evaluated_run_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "price_alerts_owner_product_key" ON "watchlists"."price_alerts" USING btree ("owner","product_id");--> statement-breakpoint
CREATE INDEX "price_alerts_product_idx" ON "watchlists"."price_alerts" USING btree ("product_id");