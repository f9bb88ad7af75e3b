-- Search that ignores accents ("pokemon" finds "Pokémon") and forgives typos ("iphnoe"):
-- unaccent and pg_trgm ship with PostgreSQL's contrib and with PGlite. An index expression
-- must be immutable, and unaccent() is only stable (its dictionary could change), so the
-- index and the queries call this wrapper, which names the dictionary explicitly.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE OR REPLACE FUNCTION soldgraph_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
