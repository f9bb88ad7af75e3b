/**
 * `npm run db:mart -- rebuild` recomputes every rollup from sales.
 * `npm run db:mart -- refresh 2026-11-20 [2026-11-21 ...]` recomputes those UTC days whole.
 */
import { answeredHelp, runCli, withDatabase } from './run';

const USAGE = 'usage: npm run db:mart -- rebuild | npm run db:mart -- refresh YYYY-MM-DD [YYYY-MM-DD ...]';

/** What is wrong with the arguments, or undefined when they are good. */
function argumentProblem(command: string | undefined, days: readonly string[]): string | undefined {
  if (command !== 'rebuild' && command !== 'refresh')
    return command ? `unknown command "${command}"` : 'a command is needed';
  if (command === 'rebuild') return days.length > 0 ? 'rebuild takes no arguments' : undefined;
  const invalid = days.filter(
    (day) => !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)),
  );
  if (days.length === 0 || invalid.length > 0) {
    return `refresh needs UTC days as YYYY-MM-DD${invalid.length ? `, got ${invalid.join(', ')}` : ''}`;
  }
  return undefined;
}

async function main(): Promise<number> {
  if (answeredHelp(USAGE)) return 0;
  const [command, ...days] = process.argv.slice(2);
  const problem = argumentProblem(command, days);
  if (problem) {
    console.error(`${problem}\n${USAGE}`);
    return 2;
  }
  const [{ rebuildMart, refreshMart }, { CACHE_TAGS, martChangeTags, purgeSharedCache }] = await Promise.all([
    import('../mart'),
    import('../../lib/cache-tags'),
  ]);
  const started = performance.now();
  return withDatabase(async ({ db, publishToOwner }, env) => {
    if (command === 'rebuild') {
      await rebuildMart(db);
    } else {
      await refreshMart(db, days);
    }
    // Gateways sharing Redis drop the answers the new rollups change (a rebuild may change any).
    await purgeSharedCache(
      { redisUrl: env.REDIS_URL, relay: publishToOwner },
      command === 'rebuild' ? [CACHE_TAGS.all] : martChangeTags(days),
    );
    console.log(`mart ${command} done in ${Math.round(performance.now() - started)} ms`);
    return 0;
  });
}

runCli(main);
