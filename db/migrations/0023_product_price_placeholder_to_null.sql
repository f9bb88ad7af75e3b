-- Before 0022 a listing first stored without a price (a Keepa ASIN first seen out of stock, a
-- file row without a price) got the placeholder 0 until a priced record arrived. No source
-- sends a 0 asking price, so a stored 0 is that placeholder: it becomes "no price" (null).
UPDATE "products" SET "price_minor" = NULL WHERE "price_minor" = 0;
