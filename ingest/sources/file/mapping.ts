/**
 * Which column of an import file feeds which record field. By default a column is named like
 * its field; `--map "Order ID=source_key"` reads field `source_key` from column "Order ID".
 */

export type FileKind = 'listings' | 'sales';

/** Fields a listings file can carry, in the order the docs list them. */
const LISTING_FIELDS = [
  'marketplace',
  'external_id',
  'title',
  'brand',
  'gtin',
  'mpn',
  'epid',
  'condition',
  'condition_id',
  'category_path',
  'url',
  'status',
  'price',
  'currency',
  'image_urls',
  'observed_at',
] as const;

/** Fields a sales file can carry (e.g. a shop's order export, one line per order line). */
const SALE_FIELDS = [
  'marketplace',
  'external_id',
  'source_key',
  'sold_at',
  'unit_price',
  'currency',
  'quantity',
  'shipping',
] as const;

export type ListingField = (typeof LISTING_FIELDS)[number];
export type SaleField = (typeof SALE_FIELDS)[number];

/** field => column name in the file. */
export type ColumnMapping = Record<string, string>;

/** Thrown for a `--map` entry that cannot apply; the CLI shows it with the usage. */
export class MappingError extends Error {
  override name = 'MappingError';
}

function fieldsOf(kind: FileKind): readonly string[] {
  return kind === 'listings' ? LISTING_FIELDS : SALE_FIELDS;
}

/**
 * The mapping for `kind`: every field read from the column of its own name unless
 * `overrides` (column => field, as given on the command line) says otherwise.
 * @example resolveMapping('sales', { 'Order ID': 'source_key' }).source_key // 'Order ID'
 */
export function resolveMapping(kind: FileKind, overrides: Record<string, string> = {}): ColumnMapping {
  const fields = fieldsOf(kind);
  const mapping: ColumnMapping = Object.fromEntries(fields.map((field) => [field, field]));
  for (const [column, field] of Object.entries(overrides)) {
    if (!fields.includes(field)) {
      throw new MappingError(
        `--map ${column}=${field}: ${kind} files have no field "${field}"; fields: ${fields.join(', ')}`,
      );
    }
    mapping[field] = column;
  }
  return mapping;
}

/** Parses `column=field` entries (the last `=` separates, so column names may contain one). */
export function parseMapEntries(entries: readonly string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.lastIndexOf('=');
    const column = entry.slice(0, eq).trim();
    const field = entry.slice(eq + 1).trim();
    if (eq <= 0 || !column || !field) throw new MappingError(`--map expects column=field, got "${entry}"`);
    overrides[column] = field;
  }
  return overrides;
}
