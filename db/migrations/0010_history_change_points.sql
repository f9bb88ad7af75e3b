-- History becomes change points with the time each value was last confirmed. Existing rows
-- were each confirmed when observed; they get that time before the column turns NOT NULL.
ALTER TABLE "price_observations" ADD COLUMN "last_confirmed_at" timestamp (3) with time zone;--> statement-breakpoint
UPDATE "price_observations" SET "last_confirmed_at" = "observed_at";--> statement-breakpoint
ALTER TABLE "price_observations" ALTER COLUMN "last_confirmed_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "sales_rank_observations" ADD COLUMN "last_confirmed_at" timestamp (3) with time zone;--> statement-breakpoint
UPDATE "sales_rank_observations" SET "last_confirmed_at" = "observed_at";--> statement-breakpoint
ALTER TABLE "sales_rank_observations" ALTER COLUMN "last_confirmed_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "sold_snapshots" ADD COLUMN "last_confirmed_at" timestamp (3) with time zone;--> statement-breakpoint
UPDATE "sold_snapshots" SET "last_confirmed_at" = "observed_at";--> statement-breakpoint
ALTER TABLE "sold_snapshots" ALTER COLUMN "last_confirmed_at" SET NOT NULL;
