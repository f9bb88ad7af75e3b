-- Before 0022 a listing first stored without a price (a Keepa ASIN first seen out of stock, a
-- file row without a price) got the placeholder 0 until a priced record arrived. A stored 0
-- that no price observation of 0 backs is that placeholder: it becomes "no price" (null). A
-- listing that really was offered at 0 (its observations say so) keeps its 0.
UPDATE "products" SET "price_minor" = NULL
WHERE "price_minor" = 0
  AND NOT EXISTS (
    SELECT 1 FROM "price_observations" o WHERE o."product_id" = "products"."id" AND o."amount_minor" = 0
  );
