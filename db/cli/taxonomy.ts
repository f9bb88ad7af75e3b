/**
 * `npm run db:taxonomy -- [list | map <marketplace>:<id> "<Name> > <Name>" | auto <marketplace>:<id>]`
 * Lists how every marketplace category maps onto the canonical tree, or corrects one mapping:
 * `map` puts a category (and the sub-categories under it) beneath a canonical node, made if
 * missing; `auto` hands it back to mapping by name. Gateways see a change within 30 s, at once
 * where they share a Redis cache (the catalog is purged).
 */
import { rootCause } from '../errors';
import type { MappingRow } from '../taxonomy';
import { databaseModules, readCommandLine, runCli, withDatabase } from './run';

const USAGE = `usage: npm run db:taxonomy -- [list]
       npm run db:taxonomy -- map <marketplace>:<category id> "<canonical name> > <name> > ..."
       npm run db:taxonomy -- auto <marketplace>:<category id>
  list   every category with the canonical category it maps onto (AUTO: by name, MANUAL: by hand)
  map    map a category by hand onto a canonical category, named from the root down
  auto   map a category by its name again
  <category id> is the marketplace's own id, e.g. ebay-us:9355`;

type Command =
  | { kind: 'list' }
  | { kind: 'map'; marketplace: string; externalId: string; path: string[] }
  | { kind: 'auto'; marketplace: string; externalId: string };

function parseCategory(value: string | undefined): { marketplace: string; externalId: string } | string {
  const match = /^([a-z0-9-]+):(\S+)$/.exec(value ?? '');
  if (!match) return `a category is <marketplace>:<category id>, e.g. ebay-us:9355, got "${value ?? ''}"`;
  return { marketplace: match[1] as string, externalId: match[2] as string };
}

function parseCommand(args: string[]): Command | string {
  const [kind = 'list', ...rest] = args;
  if (kind === 'list') return rest.length === 0 ? { kind } : `list takes no arguments`;
  if (kind !== 'map' && kind !== 'auto') return `unknown command "${kind}"`;
  const category = parseCategory(rest[0]);
  if (typeof category === 'string') return category;
  if (kind === 'auto') return rest.length === 1 ? { kind, ...category } : `auto takes one category`;
  const path = (rest[1] ?? '').split('>').map((name) => name.trim());
  if (rest.length !== 2 || path.some((name) => name === '')) {
    return `map takes a category and a canonical path of names joined by ">", e.g. "Electronics > Cell Phones"`;
  }
  return { kind, ...category, path };
}

/**
 * Runs `write` again when PostgreSQL picked it as a deadlock's victim (SQLSTATE 40P01): an
 * ingestion run renaming the same category takes the mapper's lock and the row's in the other
 * order, and PostgreSQL rolls one back rather than wait forever.
 */
async function untilNoDeadlock<T>(write: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if ((rootCause(error) as { code?: string }).code !== '40P01' || attempt >= attempts) throw error;
    }
  }
}

async function main(): Promise<number> {
  const command = readCommandLine(USAGE, parseCommand);
  if (typeof command === 'number') return command;
  const [{ selectRows }, taxonomy, { CACHE_TAGS, purgeSharedCache }] = await Promise.all([
    databaseModules(),
    import('../taxonomy'),
    import('../../lib/cache-tags'),
  ]);
  return withDatabase(async ({ db, publishToOwner }, env) => {
    if (command.kind !== 'list') {
      const statement =
        command.kind === 'map'
          ? taxonomy.mapCategory(command.marketplace, command.externalId, command.path)
          : taxonomy.unmapCategory(command.marketplace, command.externalId);
      const changed = await untilNoDeadlock(() => selectRows(db, statement));
      if (changed.length === 0) {
        console.error(`no category ${command.marketplace}:${command.externalId}; npm run db:taxonomy lists them`);
        return 2;
      }
      await purgeSharedCache({ redisUrl: env.REDIS_URL, relay: publishToOwner }, [CACHE_TAGS.catalog]);
    }
    const rows = await selectRows<MappingRow>(db, taxonomy.listMappings());
    console.log(['canonical category', 'mapping', 'marketplace', 'id', 'category'].join('\t'));
    for (const row of rows) {
      console.log(
        [row.canonical ?? '(unmapped)', row.mapping, row.marketplace, row.externalId, row.category].join('\t'),
      );
    }
    return 0;
  });
}

runCli(main);
