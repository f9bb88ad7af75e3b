import { createEntityCache, type EntityCache, FORGET_PREFIX, RESYNC } from './cache';
import { CACHE_KEYS } from './cache-keys';

/**
 * What a cached answer read, named so that whatever changes the data can say what it touched
 * without knowing which answers exist. Every answer carries `all`; an answer about listings of
 * known marketplaces carries `listings:<marketplaceId>` for each, one that is not confined to
 * known marketplaces (an unfiltered list, a lookup by id that found nothing) carries `listings`;
 * analytics carry the months of their range, or `mart` when the range is open.
 */
export const CACHE_TAGS = {
  all: 'all',
  catalog: 'catalog',
  rates: 'rates',
  listings: 'listings',
  listingsOf: (marketplaceId: number) => `listings:${marketplaceId}`,
  mart: 'mart',
  martMonth: (month: string) => `mart:${month}`,
} as const;

/** A change to listings of these marketplaces: their own tags, and answers over every listing. */
export function listingChangeTags(marketplaceIds: Iterable<number>): string[] {
  return [CACHE_TAGS.listings, ...[...new Set(marketplaceIds)].map(CACHE_TAGS.listingsOf)];
}

/** A change to these days of the mart (YYYY-MM-DD): their months, and answers over open ranges. */
export function martChangeTags(days: Iterable<string>): string[] {
  return [CACHE_TAGS.mart, ...new Set([...days].map((day) => CACHE_TAGS.martMonth(day.slice(0, 7))))];
}

/** The months `[from, to)` covers, as `mart:YYYY-MM` tags (UTC, with a day's margin either side for time zones). */
export function martRangeTags(from: Date | undefined, to: Date | undefined): string[] {
  if (!from || !to) return [CACHE_TAGS.mart];
  const day = 86_400_000;
  const first = new Date(from.getTime() - day);
  const last = new Date(to.getTime() + day);
  const tags: string[] = [];
  for (let y = first.getUTCFullYear(), m = first.getUTCMonth(); ; m += 1) {
    const month = new Date(Date.UTC(y, m, 1));
    if (month > last) break;
    tags.push(CACHE_TAGS.martMonth(month.toISOString().slice(0, 7)));
    // Ranges of many years stand for the whole mart rather than hundreds of tags.
    if (tags.length > 48) return [CACHE_TAGS.mart];
  }
  return tags;
}

/** The shared-cache key of a tag's last purge (milliseconds since the epoch). */
export const purgeStampKey = (tag: string) => `purged:${tag}`;

/** How long a purge is remembered: longer than any cached answer lives. */
const PURGE_MEMORY_MS = 7 * 86_400_000;

/** What `purgeTags` sends to every process sharing the cache. */
export type PurgeMessage = { kind: 'purge'; tags: string[]; at: number };

/**
 * Makes every cached answer that read any of `tags` unusable, in every process: the time of the
 * purge is stored per tag (so an answer computed before it is refused wherever it is read) and
 * announced over the cache's channel (so in-process copies are dropped at once). False when
 * the shared cache could not be reached: gateways then keep their answers until they expire.
 * @example await purgeTags(cache, listingChangeTags([3]));
 */
export async function purgeTags(cache: EntityCache, tags: readonly string[]): Promise<boolean> {
  if (tags.length === 0) return true;
  // A command-line run may end before its connection to Redis is up; the purge must not be lost to that.
  if (!(await cache.whenReady(2_000))) return false;
  if (tags.includes(CACHE_TAGS.catalog) || tags.includes(CACHE_TAGS.all)) await cache.delete(CACHE_KEYS.catalog);
  const at = Date.now();
  await Promise.all(tags.map((tag) => cache.set(purgeStampKey(tag), at, PURGE_MEMORY_MS)));
  try {
    await cache.publish(JSON.stringify({ kind: 'purge', tags: [...tags], at } satisfies PurgeMessage));
  } catch {
    return false;
  }
  return true;
}

/**
 * Carries out, in the gateway that owns a shared embedded database, a message a command sent it
 * through the database (`Database.publishToOwner`): the command's cache is its own memory, so
 * the purge (its stamps, the catalog) is done again here, where the answers are.
 * @example await applyRelayedMessage(cache, message);
 */
export async function applyRelayedMessage(cache: EntityCache, message: string): Promise<void> {
  if (message.startsWith(FORGET_PREFIX)) {
    await cache.delete(message.slice(FORGET_PREFIX.length));
    return;
  }
  const parsed = JSON.parse(message) as Partial<PurgeMessage>;
  if (parsed.kind === 'purge' && Array.isArray(parsed.tags)) {
    await purgeTags(
      cache,
      parsed.tags.filter((tag): tag is string => typeof tag === 'string'),
    );
  }
}

/**
 * Calls `listener` for every purge announced on `cache`'s channel, and with a purge of `all`
 * when announcements may have been missed; returns the unsubscribe.
 */
export function onPurge(cache: EntityCache, listener: (message: PurgeMessage) => void): () => void {
  return cache.subscribe((raw) => {
    // Purges may have been missed while disconnected: everything known may be stale.
    if (raw === RESYNC) return listener({ kind: 'purge', tags: [CACHE_TAGS.all], at: Date.now() });
    try {
      const message = JSON.parse(raw) as Partial<PurgeMessage>;
      if (message.kind === 'purge' && Array.isArray(message.tags) && typeof message.at === 'number') {
        listener({ kind: 'purge', tags: message.tags.map(String), at: message.at });
      }
    } catch {
      // Not ours: the channel may carry other kinds of message later.
    }
  });
}

/**
 * The latest purge of any of `tags`, from the shared cache (0 when none is remembered), or
 * undefined when the shared cache could not say: a caller must then not trust an entry.
 */
export async function lastPurgeOf(cache: EntityCache, tags: readonly string[]): Promise<number | undefined> {
  const stamps = await cache.getMany<number>(tags.map(purgeStampKey));
  if (!stamps) return undefined;
  return Math.max(0, ...stamps.map((stamp) => (typeof stamp === 'number' ? stamp : 0)));
}

/**
 * Purges `tags` in every gateway sharing the Redis at `redisUrl`, or in the gateway whose embedded
 * database the command goes through (`relay`), for commands that change data without a cache of
 * their own (seed, mart). Without either there is nothing shared to purge: each gateway's memory
 * cache is its own.
 * @example await purgeSharedCache({ redisUrl: env.REDIS_URL, relay: database.publishToOwner }, [CACHE_TAGS.all]);
 */
export async function purgeSharedCache(
  target: { redisUrl?: string; relay?: (message: string) => Promise<void> },
  tags: readonly string[],
): Promise<void> {
  const { redisUrl, relay } = target;
  if (!redisUrl && !relay) return;
  const cache = createEntityCache({ redisUrl, relay, timeoutMs: 1_000, defaultTtlMs: 60_000 });
  try {
    await purgeTags(cache, tags);
  } finally {
    await cache.close();
  }
}
