import { readFileSync } from 'node:fs';
import type { EntityCache } from '../lib/cache';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';

/**
 * The dashboard's operations, by SHA-256: codegen writes them to
 * web/__generated__/persisted-documents.json (`"sha256:<hex>": "<document>"`). A request that
 * names one of these hashes runs that document and nothing else, without a key.
 */
export type Safelist = ReadonlyMap<string, string>;

/** Reads the persisted documents; a missing file is an empty safelist (the dashboard is not built here). */
export function loadSafelist(file: string): Safelist {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const documents = JSON.parse(text) as Record<string, string>;
  return new Map(Object.entries(documents).map(([hash, document]) => [hash.replace(/^sha256:/, ''), document]));
}

/** The persisted-query hash an operation names (`extensions.persistedQuery.sha256Hash`), if any. */
export function persistedHashOf(operation: unknown): string | undefined {
  if (!operation || typeof operation !== 'object') return undefined;
  let extensions = (operation as { extensions?: unknown }).extensions;
  // Over GET the extensions arrive as a JSON string in the query string.
  if (typeof extensions === 'string') {
    try {
      extensions = JSON.parse(extensions) as unknown;
    } catch {
      return undefined;
    }
  }
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

/**
 * Apollo's store for automatic persisted queries, answering the safelist's hashes first: the
 * dashboard sends hashes only and they always resolve. Other clients may register their own
 * documents as usual (APQ): kept in a bounded in-memory store and in the shared cache, so a
 * hash registered with one gateway process resolves in every other; those still need a key
 * to run.
 */
export function persistedQueryStore(
  safelist: Safelist,
  shared?: EntityCache,
  maxRegistered = 1_000,
): KeyValueCache<string> {
  const registered = new InMemoryLRUCache<string>({ max: maxRegistered });
  // Apollo prefixes its keys with `apq:`.
  const hashOf = (key: string) => key.replace(/^apq:/, '');
  return {
    async get(key) {
      const known = safelist.get(hashOf(key)) ?? (await registered.get(key));
      if (known !== undefined || !shared) return known;
      const document = await shared.get<string>(key);
      if (document !== undefined) await registered.set(key, document);
      return document;
    },
    async set(key, value, options) {
      if (safelist.has(hashOf(key))) return;
      await registered.set(key, value, options);
      await shared?.set(key, value);
    },
    async delete(key) {
      await registered.delete(key);
      await shared?.delete(key);
    },
  };
}
