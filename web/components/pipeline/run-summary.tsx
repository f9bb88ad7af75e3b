import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatCount, formatDuration, formatInstant } from '@/lib/format';
import { RunStatus } from './run-status';

export const RunSummaryFragment = graphql(`
  fragment RunSummary on IngestRun {
    source
    status
    startedAt
    finishedAt
    heartbeatAt
    durationMs
    counts {
      pages
      fetched
      inserted
      updated
      unchanged
      quarantined
    }
  }
`);

/** One run at a glance: its source, how it stands, when, and what it counted. */
export function RunSummary({ run: ref }: { run: FragmentType<typeof RunSummaryFragment> }) {
  const run = getFragmentData(RunSummaryFragment, ref);
  const { counts } = run;
  const facts: [string, string][] = [
    ['Started', formatInstant(run.startedAt)],
    ['Finished', run.finishedAt ? formatInstant(run.finishedAt) : 'not yet'],
    ['Last heartbeat', formatInstant(run.heartbeatAt)],
    ['Duration', formatDuration(run.durationMs)],
    ['Payloads', formatCount(counts.pages)],
    ['Records read', formatCount(counts.fetched)],
    ['Inserted', formatCount(counts.inserted)],
    ['Updated', formatCount(counts.updated)],
    ['Unchanged', formatCount(counts.unchanged)],
    ['Quarantined', formatCount(counts.quarantined)],
  ];
  return (
    <section className="card" aria-labelledby="summary-heading">
      <h2 id="summary-heading">
        {run.source} <RunStatus status={run.status} />
      </h2>
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
