import { z } from 'zod';
import { ROLES } from './roles';

/** Whether `host` is this machine only: where a laptop start may run without API keys. */
export const isLoopbackHost = (host: string): boolean => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host);

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** A PostgreSQL URL; `name` is the variable it comes from, for the message. */
export const postgresUrl = (name: string) =>
  z
    .string()
    .url(`${name} must be a URL such as postgres://user@127.0.0.1:5432/soldgraph`)
    .refine((value) => /^postgres(ql)?:\/\//.test(value), {
      message: `${name} must start with postgres:// or postgresql://`,
    });

/** One or more PostgreSQL URLs, comma-separated. */
const postgresUrls = (name: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .pipe(z.array(postgresUrl(name)).min(1, `${name} must name at least one URL`));

const redisUrl = z
  .string()
  .url('REDIS_URL must be a URL such as redis://127.0.0.1:6379')
  .refine((value) => /^rediss?:\/\//.test(value), {
    message: 'REDIS_URL must start with redis:// or rediss://',
  });

/** A positive whole-number limit with its default. */
const limit = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const policyOverride = z
  .object({
    costBudget: z.number().int().min(1),
    requestsPerMinute: z.number().int().min(1),
    concurrency: z.number().int().min(1),
    deadlineMs: z.number().int().min(100),
    scopes: z.array(z.string()),
    introspection: z.boolean(),
    reads: z.enum(['replica', 'primary']),
  })
  .partial()
  .strict();

const rolePolicies = z
  .object(Object.fromEntries(ROLES.map((role) => [role, policyOverride])))
  .partial()
  .strict();

const envSchema = z.object({
  /** Production unless told otherwise: `npm start` is the product; `npm run dev` sets development. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Gateway processes behind the one port (node:cluster); more than one needs DATABASE_URL. */
  GATEWAY_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  DATABASE_URL: postgresUrl('DATABASE_URL').optional(),
  /**
   * Read replicas (streaming standbys of DATABASE_URL), comma-separated: the gateway reads the
   * API's public data from them (docs/replicas.md). Needs DATABASE_URL.
   */
  DATABASE_READ_URL: postgresUrls('DATABASE_READ_URL').optional(),
  /** A replica further behind the primary than this is not read from, and /health says degraded. */
  DATABASE_READ_MAX_LAG_SECONDS: z.coerce.number().positive().max(86_400).default(10),
  /** How often the gateway measures each replica's lag. */
  DATABASE_READ_PROBE_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * PostgreSQL's statement_timeout on the gateway's connections: a backstop behind each
   * request's own deadline (ROLE_POLICIES). The CLIs and the worker set none.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  /** How long start-up waits for an unreachable PostgreSQL (e.g. a container still booting). */
  DATABASE_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Folder for the embedded database when DATABASE_URL is unset; `memory://` keeps nothing. */
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
  /**
   * The port on 127.0.0.1 where the gateway shares its embedded database with other processes
   * (ingest, worker, psql); 0 picks a free one, which they find in PGLITE_DIR.
   */
  PGLITE_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  REDIS_URL: redisUrl.optional(),
  /** A cache call that takes longer than this counts as a miss, so a dead Redis never stalls a request. */
  CACHE_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(100),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(300),
  /** Share answers between requests (gateway/response-cache.ts); `false` turns the response cache off. */
  RESPONSE_CACHE: booleanFlag.default(true),
  /** How long past its `staleAt` an answer is still served at once while it is refreshed in the background. */
  RESPONSE_CACHE_STALE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** The in-process copy of hot answers, in front of the shared cache, in megabytes. */
  RESPONSE_CACHE_MEMORY_MB: z.coerce.number().int().min(0).max(4096).default(64),
  /** Seed demo data when the database has no products yet. */
  SEED_ON_EMPTY: booleanFlag.default(true),
  SEED_SIZE: z.enum(['small', 'default', 'large']).default('default'),
  /** Origins browsers may call the API from: `*` (any; the API is public and read-only) or a comma-separated list. */
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((value) =>
      value.trim() === '*'
        ? '*'
        : value
            .split(',')
            .map((origin) => origin.trim())
            .filter(Boolean),
    ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * `open`: requests without a key run as admin; `keys`: only the dashboard's safelisted
   * operations run without one. Unset: open in development and for the embedded database on a
   * loopback address (the laptop), keys otherwise (production).
   */
  AUTH_MODE: z.enum(['open', 'keys']).optional(),
  /** Express's `trust proxy`: which proxies may name the client in X-Forwarded-For, for per-IP limits. */
  TRUST_PROXY: z.string().min(1).default('loopback'),
  /** Static limits every GraphQL document must keep (gateway/limits.ts); refusals name the limit. */
  GRAPHQL_MAX_DOCUMENT_LENGTH: limit(16_000),
  GRAPHQL_MAX_TOKENS: limit(2_000),
  GRAPHQL_MAX_DEPTH: limit(10),
  GRAPHQL_MAX_ALIASES: limit(20),
  GRAPHQL_MAX_DIRECTIVES: limit(20),
  GRAPHQL_MAX_ROOT_FIELDS: limit(15),
  /** Operations in one batched HTTP request; 1 turns batching off. */
  GRAPHQL_MAX_BATCH: limit(1),
  /** The size demand control assumes for a list whose size neither an argument nor `@listSize` gives. */
  COST_DEFAULT_LIST_SIZE: limit(100),
  /** Estimated cost in flight at once in operations dearer than the dashboard's budget, all callers together. */
  COST_IN_FLIGHT_MAX: limit(25_000),
  /** The largest answer the gateway sends, in bytes; larger ones are refused with RESPONSE_TOO_LARGE. */
  RESPONSE_MAX_BYTES: limit(5_000_000),
  /**
   * Per-role overrides of the policies in gateway/policy.ts, as JSON, e.g.
   * `{"analyst":{"costBudget":80000,"requestsPerMinute":60}}`.
   */
  ROLE_POLICIES: z
    .string()
    .default('{}')
    .transform((text, context) => {
      try {
        return rolePolicies.parse(JSON.parse(text));
      } catch (error) {
        context.addIssue({
          code: 'custom',
          message: `ROLE_POLICIES must be JSON such as {"analyst":{"costBudget":80000}}: ${error instanceof Error ? error.message : String(error)}`,
        });
        return z.NEVER;
      }
    }),
  /**
   * OpenTelemetry traces go over OTLP/HTTP to `<endpoint>/v1/traces` (or to the traces endpoint
   * as given), only when one is set; the exporter reads them itself, so these only validate.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url('OTEL_EXPORTER_OTLP_ENDPOINT must be a URL such as http://127.0.0.1:4318')
    .optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .string()
    .url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be a URL such as http://127.0.0.1:4318/v1/traces')
    .optional(),
  /** The worker's schedules file (`npm run worker`); the default runs the bundled samples. */
  INGEST_SCHEDULES: z.string().min(1).default('ingest/schedules.example.json'),
  /** Runs one worker process carries out at once (always of different sources or scopes). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(1),
  /** eBay API host; tests point it at a local fake. */
  EBAY_BASE_URL: z
    .string()
    .url('EBAY_BASE_URL must be a URL such as https://api.ebay.com')
    .default('https://api.ebay.com'),
  /** eBay application keys (App ID / Cert ID) for the client-credentials grant. */
  EBAY_CLIENT_ID: z.string().min(1).optional(),
  EBAY_CLIENT_SECRET: z.string().min(1).optional(),
  /** The `X-EBAY-C-MARKETPLACE-ID` sent with Browse and Insights calls. */
  EBAY_MARKETPLACE_ID: z
    .string()
    .regex(/^EBAY_[A-Z]{2,}(_[A-Z]+)?$/, 'EBAY_MARKETPLACE_ID must look like EBAY_US, EBAY_DE or EBAY_GB')
    .default('EBAY_US'),
  /** Requests per UTC day the Browse/Insights sources may spend (eBay's default Browse quota is 5,000). */
  EBAY_DAILY_BUDGET: z.coerce.number().int().min(1).default(5_000),
  /** Hours a Browse listing may be missing from complete searches of its scope before it is ENDED. */
  EBAY_END_UNSEEN_AFTER_HOURS: z.coerce.number().min(1).default(48),
  KEEPA_BASE_URL: z
    .string()
    .url('KEEPA_BASE_URL must be a URL such as https://api.keepa.com')
    .default('https://api.keepa.com'),
  KEEPA_API_KEY: z.string().min(1).optional(),
  /** Per-attempt timeout of a source request (connect to last byte). */
  SOURCE_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
  /** Retries of a source request after 429, 5xx, timeouts and network errors. */
  SOURCE_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(5),
});

/** Checks between variables, after each one parsed on its own. */
const configSchema = envSchema.superRefine((env, context) => {
  if (env.GATEWAY_PROCESSES > 1 && !env.DATABASE_URL) {
    context.addIssue({
      code: 'custom',
      path: ['GATEWAY_PROCESSES'],
      message:
        'GATEWAY_PROCESSES above 1 needs DATABASE_URL: the embedded database belongs to one process. Set DATABASE_URL, or run one process',
    });
  }
  // Refused rather than ignored: someone who sets replicas expects reads to leave the primary.
  if (env.DATABASE_READ_URL && !env.DATABASE_URL) {
    context.addIssue({
      code: 'custom',
      path: ['DATABASE_READ_URL'],
      message:
        'DATABASE_READ_URL needs DATABASE_URL: read replicas follow a PostgreSQL primary, and the embedded database has none. Set DATABASE_URL, or unset DATABASE_READ_URL',
    });
  }
});

/** The validated configuration every module reads instead of `process.env`. */
export type Env = z.infer<typeof configSchema>;

/** Thrown at start when the environment is invalid; the message lists every problem. */
export class InvalidEnvironmentError extends Error {
  override name = 'InvalidEnvironmentError';
}

/**
 * Parses and validates configuration from an environment object.
 * @example
 *   const env = parseEnv({ PORT: '4000', DATABASE_URL: 'postgres://postgres@127.0.0.1/soldgraph' });
 */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings mean "unset": `DATABASE_URL= npm start` should fall back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new InvalidEnvironmentError(`Invalid configuration:\n${problems}`);
  }
  return result.data;
}
