import type { CacheStatus } from './cache-decision';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolUsage } from '../db/client';
import type { ReplicaHealth } from '../db/replicas';
import type { EntityCache } from '../lib/cache';
import { COST_ESTIMATED_TOO_EXPENSIVE } from './demand-control';
import { LIMIT_CODES } from './limits';

/** What one finished GraphQL request adds to the metrics. */
export type RequestOutcome = {
  /** The operation's name, `(anonymous)` without one, `(none)` when refused before one was found. */
  operation: string;
  status: number;
  durationMs: number;
  sqlStatements: number;
  /** `extensions.code` of each error the answer carried. */
  errorCodes: readonly string[];
  estimatedCost?: number;
};

/** Which limit a refusal's code stands for: the `limit` label of soldgraph_refusals_total. */
const REFUSALS = new Map<string, string>([
  ...Object.entries(LIMIT_CODES).map(([limit, code]) => [code, limit] as const),
  [COST_ESTIMATED_TOO_EXPENSIVE, 'cost'],
  ['RATE_LIMITED', 'rate'],
  ['DEADLINE_EXCEEDED', 'deadline'],
  ['RESPONSE_TOO_LARGE', 'responseSize'],
]);

/**
 * Operation names come from clients: the first `max` distinct ones get a label of their own,
 * later ones share `(other)`, so a client inventing names cannot grow the metrics without end.
 */
function boundedLabels(max: number) {
  const seen = new Set<string>();
  return (name: string) => {
    if (seen.has(name)) return name;
    if (seen.size >= max || !/^[_A-Za-z][_0-9A-Za-z]{0,99}$|^\(\w+\)$/.test(name)) return '(other)';
    seen.add(name);
    return name;
  };
}

/**
 * The gateway's Prometheus metrics (prom-client), on a registry of its own so two gateways in
 * one process (tests) do not collide. Pool and bulkhead gauges are read when scraped.
 * @example
 *   const metrics = createMetrics({ poolUsage, heldByBulkheads: () => 0, admission: () => admission.usage() });
 *   metrics.recordRequest({ operation: 'Overview', status: 200, durationMs: 12, sqlStatements: 6, errorCodes: [] });
 *   response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
 */
export function createMetrics(sources: {
  poolUsage: () => PoolUsage;
  heldByBulkheads: () => number;
  admission: () => { inFlight: number; waiting: number; capacity: number };
  /** The read replicas as last probed; absent without any. */
  replicas?: () => ReplicaHealth[];
}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const label = boundedLabels(200);

  const requests = new Counter({
    name: 'soldgraph_graphql_requests_total',
    help: 'GraphQL requests answered, by operation name and HTTP status.',
    labelNames: ['operation', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'soldgraph_graphql_request_duration_seconds',
    help: 'Time from the request arriving to its answer being sent, by operation name.',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'soldgraph_graphql_errors_total',
    help: 'Errors in GraphQL answers, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'soldgraph_refusals_total',
    help: 'Requests refused by a limit: a static limit (depth, aliases, ...), cost, rate, deadline or responseSize.',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  const cost = new Histogram({
    name: 'soldgraph_graphql_operation_cost',
    help: 'Estimated cost of each operation that reached cost analysis (gateway/cost.ts).',
    buckets: [10, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 1_000_000],
    registers: [registry],
  });
  const statements = new Histogram({
    name: 'soldgraph_sql_statements_per_request',
    help: 'SQL statements each GraphQL request issued.',
    buckets: [0, 1, 2, 3, 4, 6, 8, 12, 20, 50],
    registers: [registry],
  });
  const cacheReads = new Counter({
    name: 'soldgraph_cache_reads_total',
    help: "Reads of the entity cache, by tier (this process's parsed copy, or the shared Keyv/Redis) and result: hit or miss (a timeout or a Redis error is a miss).",
    labelNames: ['tier', 'result'] as const,
    registers: [registry],
  });
  const responseCache = new Counter({
    name: 'soldgraph_response_cache_total',
    help: 'GraphQL answers by what the response cache did: HIT, STALE (served while refreshed), MISS or BYPASS.',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'soldgraph_db_pool_connections',
    help: 'Database connections by state: max, open, in_use, and requests waiting for one.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const usage = sources.poolUsage();
      this.set({ state: 'max' }, usage.max);
      this.set({ state: 'open' }, usage.open);
      this.set({ state: 'in_use' }, usage.inUse);
      this.set({ state: 'waiting' }, usage.waiting);
    },
  });
  new Gauge({
    name: 'soldgraph_bulkhead_waiting',
    help: "SQL statements waiting in their caller's own queue (the per-key bulkhead).",
    registers: [registry],
    collect() {
      this.set(sources.heldByBulkheads());
    },
  });

  new Gauge({
    name: 'soldgraph_admission_cost',
    help: 'Admission by cost (operations above the dashboard budget): capacity, in_flight, and waiting operations.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const usage = sources.admission();
      this.set({ state: 'capacity' }, usage.capacity);
      this.set({ state: 'in_flight' }, usage.inFlight);
      this.set({ state: 'waiting' }, usage.waiting);
    },
  });

  const reads = new Counter({
    name: 'soldgraph_graphql_reads_total',
    help: 'GraphQL operations by where they read: primary, or a replica by name (read replicas configured only).',
    labelNames: ['target'] as const,
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'soldgraph_replica_fallbacks_total',
    help: 'Operations that could have read from a replica but read from the primary, since no replica could serve.',
    registers: [registry],
  });
  const replicas = sources.replicas;
  if (replicas) {
    /** One gauge per replica, set from the last probe; a replica whose value is unknown has no series. */
    // Under GATEWAY_PROCESSES every process probes the same replicas: the aggregate across
    // processes (gateway/cluster.ts) takes the worst, never their sum.
    const perReplica = (
      name: string,
      help: string,
      aggregator: 'max' | 'min',
      value: (health: ReplicaHealth) => number | null,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['replica'] as const,
        registers: [registry],
        aggregator,
        collect() {
          this.reset();
          for (const health of replicas()) {
            const measured = value(health);
            if (measured !== null) this.set({ replica: health.name }, measured);
          }
        },
      });
    perReplica(
      'soldgraph_replica_lag_seconds',
      'How far behind the primary each replica is, in seconds.',
      'max',
      (h) => h.lagSeconds,
    );
    perReplica(
      'soldgraph_replica_lag_bytes',
      'WAL bytes the primary wrote that each replica has not replayed.',
      'max',
      (h) => h.lagBytes,
    );
    perReplica(
      'soldgraph_replica_up',
      'Whether each replica may be read from (reachable, within the lag bound): 1 or 0.',
      'min',
      (h) => (h.status === 'up' ? 1 : 0),
    );
  }

  return {
    registry,
    /** Counts one operation's reads: `target` is `primary` or a replica's name. */
    recordRead(target: string, fallback: boolean) {
      reads.inc({ target });
      if (fallback) fallbacks.inc();
    },
    recordRequest(outcome: RequestOutcome) {
      const operation = label(outcome.operation);
      requests.inc({ operation, status: String(outcome.status) });
      duration.observe({ operation }, outcome.durationMs / 1000);
      statements.observe(outcome.sqlStatements);
      if (outcome.estimatedCost !== undefined) cost.observe(outcome.estimatedCost);
      for (const code of outcome.errorCodes) {
        errors.inc({ code });
        const limit = REFUSALS.get(code);
        if (limit) refusals.inc({ limit });
      }
    },
    recordCacheRead(tier: 'process' | 'shared', hit: boolean) {
      cacheReads.inc({ tier, result: hit ? 'hit' : 'miss' });
    },
    recordResponseCache(status: CacheStatus) {
      responseCache.inc({ status });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * The entity cache as one request sees it: every read is counted, in the metrics and in the
 * request's own tally (its log line says how its cache reads went): shared reads as they come
 * back, and a `remember`ed copy this process already held as a hit of the process tier.
 */
export function countCacheReads(
  cache: EntityCache,
  metrics: Metrics,
  tally: { hits: number; misses: number },
): EntityCache {
  const count = (tier: 'process' | 'shared', hit: boolean) => {
    metrics.recordCacheRead(tier, hit);
    if (hit) tally.hits += 1;
    else tally.misses += 1;
  };
  return {
    ...cache,
    async get<T>(key: string) {
      const value = await cache.get<T>(key);
      count('shared', value !== undefined);
      return value;
    },
    async remember<T>(key: string, ttlMs: number, load: () => Promise<T>) {
      let loaded = false;
      const value = await cache.remember(key, ttlMs, () => {
        loaded = true;
        return load();
      });
      if (!loaded) count('process', true);
      return value;
    },
  };
}
