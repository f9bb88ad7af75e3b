import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import type { EntityCache } from '../lib/cache';
import { lastPurgeOf, onPurge } from '../lib/cache-tags';
import type { DocumentNode } from 'graphql';
import type { CacheDecision, CacheStatus } from './cache-decision';
import type { CachePolicy } from './cache-policy';
import { wantsExplain } from './explain';
import type { GatewayContext, RequestLog } from './context';
import { type OperationParts, singleOperationOf } from './graphql-request';
import type { Audience } from './policy';
import { persistedHashOf } from './safelist';
import { type ReadFrom, readFromOf, type ReadTarget } from './read-target';

/** One shared answer: its `data` as sent, and when it turns stale and when it expires. */
type Entry = {
  /** The answer's `data`, as JSON. */
  data: string;
  etag: string;
  /** When the work that produced it started (ms). */
  computedAt: number;
  /**
   * The moment its data reflects (ms): `computedAt`, or earlier for data read from a replica
   * that held the primary's state only as of then. A purge at or after it makes the entry unusable.
   */
  dataAsOf: number;
  /** Where its data was read: the primary, or a replica and how far behind it was. */
  readFrom: ReadFrom;
  staleAt: number;
  expiresAt: number;
  tags: string[];
  /** The latest purge of its tags it reflects, 0 when none is remembered. */
  changedAt: number;
  /** Shared with everyone (no API key) or with holders of the same role only. */
  visibility: 'public' | 'private';
  /** The operation's name, for the logs and metrics of the requests it answers. */
  operationName: string | null;
};

/** Re-runs an operation as `audience` would, outside any HTTP request (a background refresh). */
export type Refresh = (
  operation: OperationParts,
  audience: Audience,
  decision: CacheDecision,
  stop: AbortSignal,
) => Promise<void>;

export type ResponseCacheOptions = {
  cache: EntityCache;
  /** How long past `staleAt` an entry is served at once while it is refreshed. */
  staleSeconds: number;
  /** The in-process copy's budget, in characters of `data` (about bytes for JSON). */
  memoryBytes: number;
  /** Answers larger than this are never stored: the gateway refuses to send them (RESPONSE_TOO_LARGE). */
  responseMaxBytes: number;
  policyOf: (document: DocumentNode) => CachePolicy;
  now?: () => number;
  /** Counts each answer's status, for metrics. */
  onStatus?: (status: CacheStatus) => void;
  onError?: (error: unknown) => void;
  /**
   * How long a miss waits for the same key's answer already being computed before it computes
   * its own (1,000 ms): long enough to spare the database a herd of one cold query, short enough
   * that a caller stuck behind its own throttle (its bulkhead, its admission) holds up the other
   * callers of its role at most this long.
   */
  sharedMissWaitMs?: number;
};

const KEY_PREFIX = 'response:v2:';
/** Keys whose documents may not be shared, remembered so their requests skip the lookup and the wait. */
const UNCACHEABLE_REMEMBERED = 10_000;
/**
 * Background refreshes running at once in a process: when many answers turn stale together
 * (every page of a dashboard after its max age), the rest stay stale a little longer rather
 * than all hitting the database at once; a later request starts them.
 */
const REFRESHES_AT_ONCE = 4;
/** How long one process may hold the right to refresh a key before another may try. */
const REFRESH_CLAIM_MS = 30_000;

/** Variables nested deeper than this are not keyed (and their answers not cached): no stack to spare for them. */
const MAX_KEYED_DEPTH = 32;

/** JSON with object keys sorted, so equal variables give equal keys whatever their order; undefined when too deep. */
function stableJson(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_KEYED_DEPTH) return undefined;
  if (Array.isArray(value) || (value && typeof value === 'object')) {
    const entries = Array.isArray(value)
      ? value.map((item): [string, unknown] => ['', item])
      : Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const parts: string[] = [];
    for (const [name, item] of entries) {
      const json = stableJson(item, depth + 1);
      if (json === undefined) return undefined;
      parts.push(Array.isArray(value) ? json : `${JSON.stringify(name)}:${json}`);
    }
    return Array.isArray(value) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The key of an answer: the document (the hash automatic persisted queries use, so text and
 * hash share entries), the operation, the variables, and the role asking, since what a role
 * may read and spend differs.
 */
function keyOf(operation: OperationParts, role: string): string | undefined {
  const documentHash = operation.query !== undefined ? sha256(operation.query) : persistedHashOf(operation);
  const variables = stableJson(operation.variables ?? {});
  if (typeof documentHash !== 'string' || variables === undefined) return undefined;
  return sha256([role, documentHash, operation.operationName ?? '', variables].join('\n'));
}

/**
 * Apollo refuses a GET that a browser could send cross-site without a preflight; a cached
 * answer must be refused the same way, so only such GETs are answered from the cache.
 */
function wouldPassCsrfCheck(request: Request): boolean {
  if (request.method !== 'GET') return true;
  const type = request.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  const simple = !type || ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'].includes(type);
  return !simple || Boolean(request.header('x-apollo-operation-name') ?? request.header('apollo-require-preflight'));
}

/**
 * Whether a conditional GET's `If-None-Match` names `etag` (weak comparison, RFC 9110 13.1.2).
 * Evaluated here rather than by Express's `req.fresh`, which gives up whenever the request says
 * `Cache-Control: no-cache`, as fetch() does for every conditional request it is handed.
 */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** The in-process copy: least recently used out first, bounded by the characters of `data` it holds. */
class MemoryTier {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  constructor(private readonly budget: number) {}

  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    this.delete(key);
    if (entry.data.length > this.budget) return;
    this.entries.set(key, entry);
    this.bytes += entry.data.length;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(oldest);
      this.bytes -= old.data.length;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.data.length;
  }

  dropTagged(tags: ReadonlySet<string>): void {
    for (const [key, entry] of this.entries) if (entry.tags.some((tag) => tags.has(tag))) this.delete(key);
  }
}

/**
 * A shared response cache with stale-while-revalidate, in front of Apollo.
 *
 * - **Keys**: document hash, operation name, variables and role (`keyOf`).
 * - **Freshness** comes from the SDL (gateway/cache-policy.ts): an answer is fresh for the
 *   operation's max age (`staleAt`), then served stale for `staleSeconds` more while one
 *   refresh runs in the background (one per key across processes, by a claim in the shared
 *   cache), then gone.
 * - **Where**: an in-process copy of hot answers in front of Keyv (Redis when configured).
 * - **Invalidation**: every entry carries the tags of what it read (lib/cache-tags.ts). A purge
 *   drops tagged in-process copies in every process at once, and the purge time stored per tag
 *   refuses any copy computed before it wherever it is read.
 * - **Misses** for one key wait for the first one's answer instead of all running (single
 *   flight in this process).
 * - **Fails open**: every shared-cache call is bounded by the cache's timeout and counts as a
 *   miss, as for the catalog.
 *
 * `middleware` answers hits before Apollo (no parse, no validation, no SQL); `plugin` tags and
 * stores what Apollo computes, and says in `extensions.cache` what happened.
 */
export function createResponseCache(options: ResponseCacheOptions) {
  const { cache } = options;
  const now = options.now ?? Date.now;
  const memory = new MemoryTier(options.memoryBytes);
  const purgedAt = new Map<string, number>();
  const inFlight = new Map<string, Promise<Entry | undefined>>();
  const refreshing = new Set<string>();
  const uncacheable = new Set<string>();
  // Aborted by close(): background refreshes must not outlive the database they read.
  const stopping = new AbortController();
  let refresh: Refresh | undefined;

  const unsubscribe = onPurge(cache, ({ tags, at }) => {
    for (const tag of tags) purgedAt.set(tag, Math.max(purgedAt.get(tag) ?? 0, at));
    memory.dropTagged(new Set(tags));
  });
  const purgedLocally = (entry: Entry) => entry.tags.some((tag) => (purgedAt.get(tag) ?? 0) >= entry.dataAsOf);

  /** A usable entry for `key`: from this process, else from the shared cache if no purge came after it. */
  async function lookup(key: string): Promise<Entry | undefined> {
    const local = memory.get(key);
    if (local && local.expiresAt > now() && !purgedLocally(local)) return local;
    if (local) memory.delete(key);
    // In memory mode the shared tier is this process too, and Keyv's memory store never
    // sweeps: the bounded in-process copy is the whole cache.
    if (cache.kind === 'memory') return undefined;
    const shared = await cache.get<Entry>(KEY_PREFIX + key);
    if (!shared || shared.expiresAt <= now() || purgedLocally(shared)) return undefined;
    // Purge times that could not be read are no proof the entry is still good.
    const purged = await lastPurgeOf(cache, shared.tags);
    if (purged === undefined || purged >= shared.dataAsOf) return undefined;
    memory.set(key, shared);
    return shared;
  }

  /** HTTP caching of an entry: fresh for what is left of its max age, then usable while revalidated. */
  function cacheControlOf(entry: Entry): string {
    const maxAge = Math.max(0, Math.floor((entry.staleAt - now()) / 1000));
    const staleFor = Math.max(0, Math.floor((entry.expiresAt - Math.max(now(), entry.staleAt)) / 1000));
    return `${entry.visibility}, max-age=${maxAge}, stale-while-revalidate=${staleFor}`;
  }

  function cacheExtension(status: CacheStatus, entry: Entry | undefined, reason?: string) {
    if (!entry) return { status, ...(reason ? { reason } : {}) };
    const age = Math.max(0, Math.floor((now() - entry.computedAt) / 1000));
    return { status, age, staleAt: new Date(entry.staleAt).toISOString() };
  }

  /** `extensions.freshness`: when the answer was computed, the newest change it reflects, where it read. */
  function freshnessExtension(entry: Pick<Entry, 'computedAt' | 'changedAt' | 'readFrom'>) {
    return {
      computedAt: new Date(entry.computedAt).toISOString(),
      lastChangeAt: entry.changedAt > 0 ? new Date(entry.changedAt).toISOString() : null,
      readFrom: entry.readFrom,
    };
  }

  /** Answers from an entry without Apollo: 304 when the client holds it already. */
  function send(request: Request, response: Response, status: 'HIT' | 'STALE', entry: Entry): void {
    options.onStatus?.(status);
    const log = response.locals.log as RequestLog;
    log.responseCache = status;
    log.operationName = entry.operationName;
    response.setHeader('cache-control', cacheControlOf(entry));
    response.setHeader('etag', entry.etag);
    response.setHeader('x-sql-statements', '0');
    if (request.method === 'GET' && matchesEtag(request.header('if-none-match'), entry.etag)) {
      response.status(304).end();
      return;
    }
    const extensions = JSON.stringify({ cache: cacheExtension(status, entry), freshness: freshnessExtension(entry) });
    response
      .status(200)
      .type('application/json; charset=utf-8')
      .send(`{"data":${entry.data},"extensions":${extensions}}\n`);
  }

  /**
   * Marks `key` as being computed by this request until it settles (with the stored answer, or
   * nothing) or its response closes; returns the settle.
   */
  function claimComputation(key: string, response: Response): (entry: Entry | undefined) => void {
    let resolve: (entry: Entry | undefined) => void = () => undefined;
    const computing = new Promise<Entry | undefined>((done) => (resolve = done));
    inFlight.set(key, computing);
    const settle = (entry: Entry | undefined) => {
      resolve(entry);
      if (inFlight.get(key) === computing) inFlight.delete(key);
    };
    response.on('close', () => settle(undefined));
    return settle;
  }

  /** The answer another request is computing, if it comes within `sharedMissWaitMs`. */
  async function answerBeingComputed(computing: Promise<Entry | undefined>): Promise<Entry | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, options.sharedMissWaitMs ?? 1_000, undefined);
    });
    return Promise.race([computing, waited]).finally(() => clearTimeout(timer));
  }

  /** Starts one background refresh of a stale key, unless one runs here or in another process. */
  function refreshInBackground(key: string, operation: OperationParts, audience: Audience): void {
    if (!refresh || refreshing.has(key) || refreshing.size >= REFRESHES_AT_ONCE) return;
    const run = refresh;
    refreshing.add(key);
    void (async () => {
      try {
        if (!(await cache.claim(`refresh:${key}`, REFRESH_CLAIM_MS))) {
          // Another process refreshes it: read its answer from the shared cache next time.
          memory.delete(key);
          return;
        }
        await run(operation, audience, { status: 'MISS', key, startedAt: now() }, stopping.signal);
      } catch (error) {
        options.onError?.(error);
      } finally {
        refreshing.delete(key);
      }
    })();
  }

  /**
   * Stores what Apollo computed, unless a purge of what it read came while it ran, or came
   * before the replica it read from had replayed the purged change: the answer may not show
   * that change, and stored it would outlive the purge (docs/replicas.md). Says why when it
   * does not store for that reason. When the shared cache cannot say whether a purge came
   * (Redis down), the answer is kept in this process only and only while fresh: no purge could
   * reach it meanwhile, so it gets no stale window.
   */
  async function store(
    key: string,
    decision: CacheDecision,
    answer: Pick<Entry, 'tags' | 'visibility' | 'operationName'> & {
      data: unknown;
      policy: CachePolicy;
      reads: ReadTarget;
    },
  ): Promise<{ entry?: Entry; reason?: string }> {
    const { tags, policy, visibility, operationName, reads } = answer;
    const json = JSON.stringify(answer.data);
    if (json.length > options.responseMaxBytes) return {};
    const shared = cache.kind === 'memory' ? 0 : await lastPurgeOf(cache, tags);
    const changedAt = Math.max(shared ?? 0, ...tags.map((tag) => purgedAt.get(tag) ?? 0));
    const dataAsOf = Math.min(decision.startedAt, reads.consistentAt ?? decision.startedAt);
    if (changedAt >= decision.startedAt) return {};
    if (changedAt >= dataAsOf) {
      const purge = new Date(changedAt).toISOString();
      return { reason: `not stored: ${reads.name} had not yet replayed the change purged at ${purge}` };
    }
    const staleAt = decision.startedAt + policy.maxAgeSeconds * 1000;
    const entry: Entry = {
      data: json,
      // Weak: it names the data, and the body around it (extensions.cache) differs per answer.
      etag: `W/"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`,
      computedAt: decision.startedAt,
      dataAsOf,
      readFrom: readFromOf(reads),
      staleAt,
      expiresAt: shared === undefined ? staleAt : staleAt + options.staleSeconds * 1000,
      tags,
      changedAt,
      visibility,
      operationName,
    };
    memory.set(key, entry);
    if (shared !== undefined && cache.kind !== 'memory') {
      // Not awaited: the answer need not wait for Redis, and a failure is only a later miss.
      cache.set(KEY_PREFIX + key, entry, Math.max(1, entry.expiresAt - now())).catch(options.onError);
    }
    return { entry };
  }

  return {
    /** How a background refresh runs an operation; set once Apollo exists. */
    setRefresh(run: Refresh) {
      refresh = run;
    },

    /**
     * Before Apollo: answers a fresh or stale entry at once, makes a miss wait for the same
     * key's answer already being computed, or lets the request through with its decision in
     * `response.locals.responseCache`. `Cache-Control: no-store` bypasses the cache. `no-cache`
     * does not: fetch() adds it to every conditional request, and this server is the origin
     * that revalidates.
     */
    middleware(): RequestHandler {
      return async (request, response, next) => {
        const audience = response.locals.audience as Audience;
        const startedAt = now();
        // Answers differ by role, and the role comes from these headers.
        response.vary('Authorization').vary('X-Api-Key');
        const noStore = /\bno-store\b/i.test(request.header('cache-control') ?? '');
        // An explain describes this execution: it is neither served from nor stored in the cache.
        const explain = wantsExplain(request);
        const operation = noStore || explain ? undefined : singleOperationOf(request);
        const key = operation && keyOf(operation, audience.role);
        if (!operation || !key) {
          const reason = noStore
            ? 'the request asked for no-store'
            : explain
              ? 'the request asked for an explain'
              : 'not a single operation with a document and variables of a keyable depth';
          response.locals.responseCache = { status: 'BYPASS', reason, startedAt } satisfies CacheDecision;
          next();
          return;
        }
        const decision: CacheDecision = { status: 'MISS', key, startedAt };
        response.locals.responseCache = decision;
        if (uncacheable.has(key) || !wouldPassCsrfCheck(request)) {
          next();
          return;
        }
        // The first miss of a key claims its computation before anything is awaited, so misses
        // arriving meanwhile wait for its answer instead of computing their own.
        const computing = inFlight.get(key);
        const settle = computing ? undefined : claimComputation(key, response);
        try {
          const entry = computing ? await answerBeingComputed(computing) : await lookup(key);
          if (entry) settle?.(entry);
          if (entry && entry.staleAt > now()) return send(request, response, 'HIT', entry);
          if (entry) {
            refreshInBackground(key, operation, audience);
            return send(request, response, 'STALE', entry);
          }
        } catch (error) {
          settle?.(undefined);
          options.onError?.(error);
        }
        decision.settle = settle as ((stored: unknown) => void) | undefined;
        next();
      };
    },

    /**
     * In Apollo: turns the decision into BYPASS when the SDL says the operation may not be
     * shared, stores a clean answer with the tags of what it read, and reports
     * `extensions.cache` and `extensions.freshness`.
     */
    plugin(): ApolloServerPlugin<GatewayContext> {
      return {
        async requestDidStart() {
          let policy: CachePolicy | undefined;
          return {
            async didResolveOperation({ document, contextValue }) {
              policy = options.policyOf(document);
              const decision = contextValue.responseCache;
              if (decision?.status === 'MISS' && policy.maxAgeSeconds <= 0) {
                decision.status = 'BYPASS';
                decision.reason = policy.reason;
                if (decision.key) {
                  if (uncacheable.size >= UNCACHEABLE_REMEMBERED) uncacheable.clear();
                  uncacheable.add(decision.key);
                }
              }
            },
            async willSendResponse({ response, contextValue }) {
              const decision = contextValue.responseCache;
              if (!decision || response.body.kind !== 'single') return;
              const { singleResult } = response.body;
              let entry: Entry | undefined;
              let notStored: string | undefined;
              const clean =
                !singleResult.errors?.length &&
                singleResult.data &&
                response.http.status === undefined &&
                !contextValue.signal.aborted;
              if (decision.status === 'MISS' && decision.key && policy && policy.maxAgeSeconds > 0 && clean) {
                try {
                  ({ entry, reason: notStored } = await store(decision.key, decision, {
                    data: singleResult.data,
                    tags: contextValue.data.cacheTags(),
                    policy,
                    visibility: contextValue.audience.keyId === null ? 'public' : 'private',
                    operationName: contextValue.log.operationName ?? null,
                    reads: contextValue.reads,
                  }));
                } catch (error) {
                  options.onError?.(error);
                }
              }
              decision.settle?.(entry);
              // A request refused before its operation was resolved (a bad document) was not looked up for real.
              const status = decision.status === 'MISS' && !policy ? 'BYPASS' : decision.status;
              options.onStatus?.(status);
              contextValue.log.responseCache = status;
              // An answer computed now says where it read even when it is not stored.
              const computed = policy && {
                computedAt: decision.startedAt,
                changedAt: 0,
                readFrom: readFromOf(contextValue.reads),
              };
              const freshness = entry ?? computed;
              singleResult.extensions = {
                ...singleResult.extensions,
                cache: cacheExtension(status, entry, decision.reason ?? notStored),
                ...(freshness ? { freshness: freshnessExtension(freshness) } : {}),
              };
              response.http.headers.set('cache-control', entry ? cacheControlOf(entry) : 'no-store');
              if (entry) response.http.headers.set('etag', entry.etag);
            },
          };
        },
      };
    },

    close() {
      stopping.abort(new Error('the gateway is stopping'));
      unsubscribe();
    },
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;
