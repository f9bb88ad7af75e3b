/**
 * `npm run db:links -- [list | same <id> <id> | different <id> <id> | clear <id> <id>]`
 * Corrects the links between listings of one item on several marketplaces
 * (`Product.sameItemElsewhere`), which are otherwise read from their identifiers: `same` links
 * two listings (confidence 1), `different` separates two that share an identifier, `clear`
 * lets the identifiers decide again. Ids are Soldgraph's product ids (`Product.id`).
 */
import type { VerdictRow } from '../product-links';
import { databaseModules, readCommandLine, runCli, withDatabase } from './run';

const USAGE = `usage: npm run db:links -- [list]
       npm run db:links -- same <product id> <product id>
       npm run db:links -- different <product id> <product id>
       npm run db:links -- clear <product id> <product id>
  list        every correction, newest first
  same        the two listings are the same item, whatever their identifiers say
  different   they are not, though they share an identifier
  clear       drop the correction: their identifiers decide again`;

type Command = { kind: 'list' } | { kind: 'same' | 'different' | 'clear'; a: number; b: number };

function parseCommand(args: string[]): Command | string {
  const [kind = 'list', ...ids] = args;
  if (kind === 'list') return ids.length === 0 ? { kind } : 'list takes no arguments';
  if (kind !== 'same' && kind !== 'different' && kind !== 'clear') return `unknown command "${kind}"`;
  const [a, b] = ids.map(Number);
  if (ids.length !== 2 || !Number.isInteger(a) || !Number.isInteger(b) || (a as number) < 1 || (b as number) < 1) {
    return `${kind} takes two product ids, got "${ids.join(' ')}"`;
  }
  if (a === b) return `${kind} takes two different products`;
  return { kind, a: a as number, b: b as number };
}

async function main(): Promise<number> {
  const command = readCommandLine(USAGE, parseCommand);
  if (typeof command === 'number') return command;
  const [{ selectRows }, links, { CACHE_TAGS, purgeSharedCache }] = await Promise.all([
    databaseModules(),
    import('../product-links'),
    import('../../lib/cache-tags'),
  ]);
  return withDatabase(async ({ db, publishToOwner }, env) => {
    if (command.kind !== 'list') {
      const found = await selectRows<{ id: number }>(db, links.existingProducts(command.a, command.b));
      if (found.length < 2) {
        const missing = [command.a, command.b].filter((id) => !found.some((row) => Number(row.id) === id));
        console.error(`no product ${missing.join(' or ')}`);
        return 2;
      }
      await db.execute(
        command.kind === 'clear'
          ? links.clearVerdict(command.a, command.b)
          : links.recordVerdict(command.a, command.b, command.kind === 'same' ? 'SAME' : 'DIFFERENT'),
      );
      // Cached answers with links read every marketplace's listings (the `listings` tag).
      await purgeSharedCache({ redisUrl: env.REDIS_URL, relay: publishToOwner }, [CACHE_TAGS.listings]);
    }
    const rows = await selectRows<VerdictRow>(db, links.listVerdicts());
    console.log(['product', 'other product', 'verdict', 'decided at'].join('\t'));
    for (const row of rows) console.log([row.productId, row.otherProductId, row.verdict, row.decidedAt].join('\t'));
    return 0;
  });
}

runCli(main);
