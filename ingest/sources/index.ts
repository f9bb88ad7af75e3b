/**
 * The source registry: CLI and worker look sources up here by name. Add a source with one
 * line, `name: sourceEntry({ usage, create, options })` (see ingest/pipeline/entry.ts).
 */
import type { SourceEntry } from '../pipeline/entry';
import { demoEntry, ebayBrowseEntry, ebayInsightsEntry, keepaEntry } from './entries';
import { fileEntry } from './file';
import type { SourceName } from './usage';

// `satisfies`: the compiler holds the registry and SOURCE_USAGE to the same names.
export const sources: Record<string, SourceEntry> = {
  file: fileEntry,
  'ebay-browse': ebayBrowseEntry,
  'ebay-insights': ebayInsightsEntry,
  keepa: keepaEntry,
  demo: demoEntry,
} satisfies Record<SourceName, SourceEntry>;
