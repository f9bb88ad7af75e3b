CREATE TABLE "ingest_mart_pending" (
	"product_id" integer NOT NULL,
	"day" date NOT NULL,
	CONSTRAINT "ingest_mart_pending_product_id_day_pk" PRIMARY KEY("product_id","day")
);
