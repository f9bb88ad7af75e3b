/**
 * `npm run db:partitions -- [--ahead N] [--archive-before YYYY-MM]`
 * Makes the history tables' partitions that are due (this month, N months ahead, and every month
 * with rows in a rest partition), archives the months before YYYY-MM when asked (detached and
 * moved to the `archive` schema, rows kept), then lists every partition.
 */
import { parseArgs } from 'node:util';
import { PARTITION_MONTHS_AHEAD } from '../partition-policy';
import type { PartitionRow } from '../partitions';
import { databaseModules, readCommandLine, runCli, withDatabase } from './run';

const USAGE = `usage: npm run db:partitions -- [--ahead N] [--archive-before YYYY-MM]
  --ahead N                   months made ahead of the current one (default ${PARTITION_MONTHS_AHEAD})
  --archive-before YYYY-MM    detach the months before this one into the "archive" schema`;

type Options = { ahead: number; archiveBefore?: string };

function parseOptions(args: string[]): Options | string {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { ahead: { type: 'string' }, 'archive-before': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  const ahead = values.ahead === undefined ? PARTITION_MONTHS_AHEAD : Number(values.ahead);
  if (!Number.isInteger(ahead) || ahead < 0 || ahead > 120) return `--ahead must be a whole number from 0 to 120`;
  const archiveBefore = values['archive-before'];
  if (archiveBefore !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(archiveBefore)) {
    return `--archive-before must be a month as YYYY-MM, got "${archiveBefore}"`;
  }
  return { ahead, archiveBefore };
}

async function main(): Promise<number> {
  const options = readCommandLine(USAGE, parseOptions);
  if (typeof options === 'number') return options;
  const [{ selectRows }, { archiveBefore, listPartitions, maintainPartitions }] = await Promise.all([
    databaseModules(),
    import('../partitions'),
  ]);
  return withDatabase(async ({ db }) => {
    const made = await selectRows<{ made: string }>(db, maintainPartitions(options.ahead));
    for (const { made: name } of made) console.log(`made ${name}`);
    if (options.archiveBefore) {
      const archived = await selectRows<{ archived: string }>(db, archiveBefore(options.archiveBefore));
      for (const { archived: name } of archived) console.log(`archived ${name} as archive.${name}`);
    }
    const rows = await selectRows<PartitionRow>(db, listPartitions());
    console.log(['table', 'partition', 'from', 'to', 'rows (estimate)'].join('\t'));
    for (const row of rows) {
      console.log(
        [row.parent, row.partition, row.from ?? 'MIN', row.to ?? 'MAX', Math.max(row.estimatedRows, 0)].join('\t'),
      );
    }
    return 0;
  });
}

runCli(main);
