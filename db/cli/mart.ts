/**
 * `npm run db:mart -- rebuild` recomputes every rollup from sales.
 * `npm run db:mart -- refresh 2026-11-20 [2026-11-21 ...]` recomputes those UTC days whole.
 */
import { rebuildMart, refreshMart } from '../mart';
import { CACHE_TAGS, martChangeTags, purgeSharedCache } from '../../lib/cache-tags';
import { parseEnv } from '../../lib/env';
import { openDatabase } from '../client';
import { answeredHelp, runCli } from './run';

const USAGE = 'usage: npm run db:mart -- rebuild | npm run db:mart -- refresh YYYY-MM-DD [YYYY-MM-DD ...]';

async function main(): Promise<void> {
  if (answeredHelp(USAGE)) return;
  const [command, ...days] = process.argv.slice(2);
  if (command !== 'rebuild' && command !== 'refresh') throw new Error(USAGE);
  const invalid = days.filter(
    (day) => !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)),
  );
  if (command === 'refresh' && (days.length === 0 || invalid.length > 0)) {
    throw new Error(
      `refresh needs UTC days as YYYY-MM-DD${invalid.length ? `, got ${invalid.join(', ')}` : ''}\n${USAGE}`,
    );
  }
  const env = parseEnv();
  const database = openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, poolMax: 1 });
  const started = performance.now();
  try {
    await database.migrate();
    if (command === 'rebuild') {
      await rebuildMart(database.db);
    } else {
      await refreshMart(database.db, days);
    }
    // Gateways sharing Redis drop the answers the new rollups change (a rebuild may change any).
    await purgeSharedCache(env.REDIS_URL, command === 'rebuild' ? [CACHE_TAGS.all] : martChangeTags(days));
    console.log(`mart ${command} done in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await database.close();
  }
}

runCli(main);
