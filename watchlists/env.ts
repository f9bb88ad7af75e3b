import { z, ZodError } from 'zod';
import { isLoopbackHost, postgresUrl } from '../lib/env';

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4002),
  /** The core's database; the watchlists keep their tables in its `watchlists` schema unless told otherwise. */
  DATABASE_URL: postgresUrl('DATABASE_URL').optional(),
  /** A database of the watchlists' own, instead of the `watchlists` schema in DATABASE_URL's. */
  WATCHLISTS_DATABASE_URL: postgresUrl('WATCHLISTS_DATABASE_URL').optional(),
  /** The embedded database of the watchlists (never the core's) when neither URL is set. */
  WATCHLISTS_PGLITE_DIR: z.string().min(1).default('.data/watchlists-pglite'),
  REDIS_URL: z
    .string()
    .refine((value) => /^rediss?:\/\//.test(value), { message: 'REDIS_URL must start with redis://' })
    .optional(),
  /** Where the core subgraph answers: prices, landed runs and API keys come from there. */
  CORE_URL: z
    .string()
    .url('CORE_URL must be a URL such as http://127.0.0.1:4001/graphql')
    .default('http://127.0.0.1:4001/graphql'),
  /** An API key (analyst or dashboard role) for the background calls to a core in keys mode. */
  WATCHLISTS_CORE_KEY: z.string().min(1).optional(),
  /** How often the core is asked whether an ingestion run landed (Redis purges also wake it at once). */
  WATCHLISTS_POLL_SECONDS: z.coerce.number().positive().default(30),
  AUTH_MODE: z.enum(['open', 'keys']).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

/** The watchlists subgraph's configuration, from the environment. */
export type WatchlistsEnv = z.infer<typeof envSchema> & { AUTH_MODE: 'open' | 'keys' };

/**
 * Parses the watchlists' variables (empty counts as unset). Without AUTH_MODE it is open where
 * the core is: the embedded database on a loopback address.
 * @example const env = parseWatchlistsEnv(process.env);
 */
export function parseWatchlistsEnv(source: NodeJS.ProcessEnv): WatchlistsEnv {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const env = envSchema.parse(present);
  const embedded = !env.DATABASE_URL && !env.WATCHLISTS_DATABASE_URL;
  const authMode = env.AUTH_MODE ?? (embedded && isLoopbackHost(env.HOST) ? 'open' : 'keys');
  // In keys mode the core answers nothing without a key, so the alerts could never be evaluated.
  if (authMode === 'keys' && !env.WATCHLISTS_CORE_KEY) {
    throw new ZodError([
      {
        code: 'custom',
        path: ['WATCHLISTS_CORE_KEY'],
        message:
          'needed in keys mode, for the calls to the core: mint one with npm run keys -- create --name watchlists --role analyst',
        input: undefined,
      },
    ]);
  }
  return { ...env, AUTH_MODE: authMode };
}
