CREATE TYPE "public"."category_mapping" AS ENUM('AUTO', 'MANUAL');--> statement-breakpoint
CREATE TABLE "canonical_categories" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "canonical_categories_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"parent_id" integer,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"path" text NOT NULL,
	"depth" smallint NOT NULL,
	CONSTRAINT "canonical_categories_parent_name_key" UNIQUE NULLS NOT DISTINCT("parent_id","name_key")
);
--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "canonical_category_id" integer;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "canonical_mapping" "category_mapping" DEFAULT 'AUTO' NOT NULL;--> statement-breakpoint
ALTER TABLE "canonical_categories" ADD CONSTRAINT "canonical_categories_parent_id_canonical_categories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."canonical_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "canonical_categories_path_idx" ON "canonical_categories" USING btree ("path" text_pattern_ops);--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_canonical_category_id_canonical_categories_id_fk" FOREIGN KEY ("canonical_category_id") REFERENCES "public"."canonical_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "categories_canonical_category_id_idx" ON "categories" USING btree ("canonical_category_id");--> statement-breakpoint
-- The key two category names share when they name the same thing: no case, accents,
-- punctuation or "and", so "Cell Phones & Smartphones" = "cell phones and smartphones". A name
-- of punctuation only keeps itself (lower-cased) rather than becoming the empty key.
CREATE FUNCTION soldgraph_category_key(name text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT coalesce(nullif(btrim(regexp_replace(
             regexp_replace(lower(soldgraph_unaccent(name)), '\mand\M', ' ', 'g'),
             '[[:punct:][:space:]]+', ' ', 'g')), ''), lower(name))
  $$;--> statement-breakpoint
-- The canonical node for a chain of names from the root (e.g. {Electronics, Cell Phones}),
-- made where missing. Used by operators' manual mappings.
CREATE FUNCTION soldgraph_canonical_node(names text[]) RETURNS integer
  LANGUAGE plpgsql AS $$
DECLARE
  node integer;
  above integer;
  label text;
BEGIN
  IF coalesce(array_length(names, 1), 0) = 0 THEN
    RAISE EXCEPTION 'a canonical category needs at least one name';
  END IF;
  -- The mapper's lock: its tidying could otherwise delete the node before the caller uses it.
  PERFORM pg_advisory_xact_lock(hashtext('soldgraph_map_categories'));
  FOREACH label IN ARRAY names LOOP
    INSERT INTO canonical_categories (parent_id, name, name_key, path, depth)
    SELECT above, btrim(label), soldgraph_category_key(btrim(label)), '',
           coalesce((SELECT k.depth + 1 FROM canonical_categories k WHERE k.id = above), 0)
    ON CONFLICT (parent_id, name_key) DO NOTHING;
    SELECT k.id INTO node FROM canonical_categories k
      WHERE k.parent_id IS NOT DISTINCT FROM above AND k.name_key = soldgraph_category_key(btrim(label));
    UPDATE canonical_categories k
      SET path = coalesce((SELECT a.path FROM canonical_categories a WHERE a.id = above), '/') || k.id || '/'
      WHERE k.id = node AND k.path = '';
    above := node;
  END LOOP;
  RETURN node;
END $$;--> statement-breakpoint
-- The AUTO categories of one depth whose parent is mapped (or that are roots), with the
-- parent's canonical node and their name's key: what the mapper places next.
CREATE FUNCTION soldgraph_automatic_categories(at_depth integer)
  RETURNS TABLE (id integer, parent_node integer, name text, key text)
  LANGUAGE sql STABLE AS $$
    SELECT c.id, p.canonical_category_id, c.name, soldgraph_category_key(c.name)
    FROM categories c LEFT JOIN categories p ON p.id = c.parent_id
    WHERE c.depth = at_depth AND c.canonical_mapping = 'AUTO'
      AND (c.parent_id IS NULL OR p.canonical_category_id IS NOT NULL)
  $$;--> statement-breakpoint
-- Maps every AUTO category onto the canonical node of its name under its parent's node,
-- root level first, making nodes where missing; MANUAL categories keep theirs, and their
-- subtrees map beneath it. Then drops nodes nothing maps onto any more (after renames and
-- moves). Recomputed whole: categories number thousands, and it runs only when they change.
-- Returns how many categories changed node.
CREATE FUNCTION soldgraph_map_categories() RETURNS integer
  LANGUAGE plpgsql AS $$
DECLARE
  at_depth integer;
  moved integer;
  changed integer := 0;
BEGIN
  -- Two writers mapping at once would each miss the node the other is making.
  PERFORM pg_advisory_xact_lock(hashtext('soldgraph_map_categories'));
  FOR at_depth IN SELECT DISTINCT c.depth FROM categories c ORDER BY c.depth LOOP
    INSERT INTO canonical_categories (parent_id, name, name_key, path, depth)
      SELECT DISTINCT ON (w.parent_node, w.key) w.parent_node, w.name, w.key, '', coalesce(k.depth + 1, 0)
      FROM soldgraph_automatic_categories(at_depth) w LEFT JOIN canonical_categories k ON k.id = w.parent_node
      ORDER BY w.parent_node, w.key, w.id
      ON CONFLICT (parent_id, name_key) DO NOTHING;
    UPDATE canonical_categories k
      SET path = coalesce((SELECT a.path FROM canonical_categories a WHERE a.id = k.parent_id), '/') || k.id || '/'
      WHERE k.path = '';
    UPDATE categories c SET canonical_category_id = k.id
      FROM soldgraph_automatic_categories(at_depth) w JOIN canonical_categories k
        ON k.parent_id IS NOT DISTINCT FROM w.parent_node AND k.name_key = w.key
      WHERE c.id = w.id AND c.canonical_category_id IS DISTINCT FROM k.id;
    GET DIAGNOSTICS moved = ROW_COUNT;
    changed := changed + moved;
  END LOOP;
  LOOP
    DELETE FROM canonical_categories k
      WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.canonical_category_id = k.id)
        AND NOT EXISTS (SELECT 1 FROM canonical_categories s WHERE s.parent_id = k.id);
    GET DIAGNOSTICS moved = ROW_COUNT;
    EXIT WHEN moved = 0;
  END LOOP;
  RETURN changed;
END $$;--> statement-breakpoint
-- Any write that adds categories or changes a name, parent or mapping maps again, whoever
-- writes (ingestion, the seed, an operator's UPDATE). The mapper's own updates (trigger
-- depth 2) do not start it again.
CREATE FUNCTION soldgraph_categories_changed() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() > 1 THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF EXISTS (SELECT 1 FROM new_rows) THEN
      PERFORM soldgraph_map_categories();
    END IF;
  ELSIF EXISTS (
    SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.name, n.parent_id, n.depth, n.canonical_category_id, n.canonical_mapping)
          IS DISTINCT FROM (o.name, o.parent_id, o.depth, o.canonical_category_id, o.canonical_mapping)) THEN
    PERFORM soldgraph_map_categories();
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER categories_inserted_map AFTER INSERT ON categories
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION soldgraph_categories_changed();--> statement-breakpoint
CREATE TRIGGER categories_updated_map AFTER UPDATE ON categories
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION soldgraph_categories_changed();--> statement-breakpoint
SELECT soldgraph_map_categories();
