import { z } from 'zod';
import { parseSourceOptions } from '../source-options';

const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);
const filters = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(/,(?![^[]*\])/)).map((f) => f.trim()).filter(Boolean),
  );

/** Options of an eBay search, from the CLI (strings) or a worker job (typed). */
export const ebaySearchOptionsSchema = z
  .object({
    q: z.string().trim().min(1).optional(),
    categoryIds: z.coerce.string().trim().min(1).optional(),
    /** eBay `filter` clauses, e.g. `conditionIds:{1000|3000}` or `buyingOptions:{AUCTION}`. */
    filter: filters.optional(),
    sort: z.string().trim().min(1).optional(),
    /** Page size, 1..200 (eBay's maximum). */
    limit: z.coerce.number().int().min(1).max(200).default(200),
    /** Stop after this many items (across price bands). */
    maxItems: z.coerce.number().int().min(1).optional(),
    /** Browse only: call getItem for every item (brand, MPN, GTIN, every image, category path). */
    details: flag.default(false),
    /** Only items newer than the stored watermark (Browse: itemStartDate, Insights: lastSoldDate). */
    incremental: flag.default(false),
  })
  .refine((o) => o.q !== undefined || o.categoryIds !== undefined, {
    message: 'give q (keywords) or categoryIds: eBay searches need at least one',
  });

export type EbaySearchOptions = z.input<typeof ebaySearchOptionsSchema>;
export type ParsedEbaySearchOptions = z.output<typeof ebaySearchOptionsSchema>;

/** Validates search options; a SOURCE_CONFIG error lists every problem. */
export function parseEbaySearchOptions(source: string, options: unknown): ParsedEbaySearchOptions {
  return parseSourceOptions(source, ebaySearchOptionsSchema, options);
}

/** The incremental-sync stream a search selects: same marketplace, keywords, category and filters. */
export function ebaySearchScope(source: string, marketplaceId: string, options: ParsedEbaySearchOptions): string {
  const parts = [
    options.q ? `q=${options.q}` : '',
    options.categoryIds ? `category=${options.categoryIds}` : '',
    options.filter?.length ? `filter=${[...options.filter].sort().join(',')}` : '',
  ].filter(Boolean);
  return `${source}:${marketplaceId}:${parts.join('&')}`;
}
