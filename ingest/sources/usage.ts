/**
 * Each source's command-line usage, kept apart from the sources themselves so that
 * `npm run ingest -- --help` answers without loading them (and the database drivers they
 * load). The registry (./index.ts) uses these lines, and the compiler holds both to the same names.
 */
export const SOURCE_USAGE = {
  file: 'file --path <file.csv|.jsonl> [--kind listings|sales] [--format csv|jsonl] [--map column=field ...] [--marketplace ebay-us] [--chunk-lines 10000] [--encoding utf8|latin1|utf16le|utf16be]',
  'ebay-browse':
    'ebay-browse (--q <keywords> | --category-ids <id>) [--filter <clause> ...] [--sort newlyListed|price|-price] [--limit 200] [--max-items <n>] [--details] [--incremental]',
  'ebay-insights':
    'ebay-insights (--q <keywords> | --category-ids <id>) [--filter <clause> ...] [--limit 200] [--max-items <n>] [--incremental]',
  keepa: 'keepa --asins <ASIN,ASIN,...> [--domain 1] [--batch-size 100] [--update <hours>] [--buybox]',
  demo: 'demo [--size small|default|large] [--seed <n>] [--now <ISO time>] [--page-size 200] [--snapshots 4] [--details true|false]',
} as const;

export type SourceName = keyof typeof SOURCE_USAGE;

/** True for the name of a registered source. */
export const isSourceName = (name: string): name is SourceName => Object.hasOwn(SOURCE_USAGE, name);
