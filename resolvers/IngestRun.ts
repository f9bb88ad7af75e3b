import { quarantineSortKey } from '../data/ingest-runs';
import { parsePaging } from './arguments/paging';
import { parseId } from './arguments/scalars';
import type { IngestRunResolvers } from './__generated__/resolvers-types';

/** The pipeline's phases in the order they run; jsonb keeps no key order, so it is restored here. */
const PHASES = ['fetch', 'parse', 'core', 'mart', 'cache'];

function phaseRank(phase: string): number {
  if (phase === 'total') return PHASES.length + 1;
  const known = PHASES.indexOf(phase);
  return known === -1 ? PHASES.length : known;
}

export const IngestRun: IngestRunResolvers = {
  __resolveReference: ({ id }, { data }) => data.ingestRun(parseId(id, 'IngestRun.id')),
  parameters: (run) => JSON.stringify(run.parameters),
  durationMs: (run) => (run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null),
  counts: (run) => run,
  errors: (run) => run.errors.map((error) => ({ ...error, code: error.code ?? null, warning: error.warning === true })),
  timings: (run) =>
    Object.entries(run.timings)
      .sort(([a], [b]) => phaseRank(a) - phaseRank(b) || a.localeCompare(b))
      .map(([phase, ms]) => ({ phase, ms })),
  quarantine: (run, args, { data }) => {
    const { first, afterCursor } = parsePaging(args, quarantineSortKey, 20);
    return data.runQuarantine(run.id, { first, afterCursor });
  },
};
