/**
 * `npm run db:seed -- [--size small|default|large] [--seed N] [--reset]`
 * Migrates the configured database, then loads the deterministic demo dataset.
 * Refuses to touch a database that already has products unless --reset is given, which
 * empties the demo tables (TRUNCATE ... RESTART IDENTITY CASCADE) first.
 */
import { answeredHelp, databaseModules, runCli } from './run';
import { DEMO_SEED, type SeedSize } from '../seed/generate';

/** `size` is absent when not given: SEED_SIZE from the environment applies then. */
export type SeedCliOptions = { size?: SeedSize; seed: number; reset: boolean };

const USAGE = 'usage: npm run db:seed -- [--size small|default|large] [--seed N] [--reset]';
const SIZES: readonly SeedSize[] = ['small', 'default', 'large'];

/** Thrown for bad command-line arguments; the message is shown with the usage line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Parses the arguments after `--` (accepts `--flag value` and `--flag=value`).
 */
export function parseSeedArgs(args: readonly string[]): SeedCliOptions {
  const options: SeedCliOptions = { seed: DEMO_SEED, reset: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i += 1;
      return next;
    };
    switch (flag) {
      case '--size': {
        const size = value();
        if (!SIZES.includes(size as SeedSize))
          throw new UsageError(`--size must be one of ${SIZES.join(', ')}, got "${size}"`);
        options.size = size as SeedSize;
        break;
      }
      case '--seed': {
        const raw = value();
        const seed = Number(raw);
        if (!/^\d+$/.test(raw) || !Number.isSafeInteger(seed))
          throw new UsageError(`--seed must be a non-negative integer, got "${raw}"`);
        options.seed = seed;
        break;
      }
      case '--reset':
        if (inline !== undefined) throw new UsageError('--reset takes no value');
        options.reset = true;
        break;
      default:
        throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  if (answeredHelp(USAGE)) return;
  // Arguments are checked before the drivers load, so a mistake is answered at once.
  let options: SeedCliOptions;
  try {
    options = parseSeedArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const [{ parseEnv, openDatabase }, { CACHE_TAGS, purgeSharedCache }, load] = await Promise.all([
    databaseModules(),
    import('../../lib/cache-tags'),
    import('../seed/load'),
  ]);
  const { isDatabaseEmpty, seedDemoData, truncateDemoTables } = load;
  const env = parseEnv();
  const size = options.size ?? env.SEED_SIZE;

  const database = openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, poolMax: 1 });
  const where = database.location;
  try {
    await database.migrate();
    if (options.reset) {
      await truncateDemoTables(database.db);
      console.log(`emptied the demo tables of ${where}`);
    } else if (!(await isDatabaseEmpty(database.db))) {
      throw new Error(`${where} already has products; run with --reset to replace them (this deletes all data)`);
    }

    console.log(`seeding ${where}: size ${size}, seed ${options.seed}`);
    const started = performance.now();
    let lastReport = started;
    const counts = await seedDemoData(database.db, {
      size,
      seed: options.seed,
      onProgress: (progress) => {
        const now = performance.now();
        if (now - lastReport < 5_000) return;
        lastReport = now;
        console.log(`  ${progress.products}/${progress.totalProducts} products, ${progress.sales} sales ...`);
      },
    });
    // Gateways sharing Redis drop every answer computed over the old data.
    await purgeSharedCache({ redisUrl: env.REDIS_URL, relay: database.publishToOwner }, [CACHE_TAGS.all]);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `seeded ${counts.marketplaces} marketplaces, ${counts.categories} categories, ${counts.products} products, ` +
        `${counts.images} images, ${counts.sales} sales in ${seconds} s`,
    );
  } finally {
    await database.close();
  }
}

// Only when run as a script, so tests can import parseSeedArgs.
if (require.main === module) {
  runCli(main);
}
