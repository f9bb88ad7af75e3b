import Link from 'next/link';
import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatCount, formatDuration, formatInstant } from '@/lib/format';
import { RunStatus } from './run-status';
import { ScrollRegion } from '@/components/layout/scroll-region';

export const RunListFragment = graphql(`
  fragment RunList on IngestRunConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      source
      status
      startedAt
      durationMs
      counts {
        pages
        fetched
        inserted
        updated
        unchanged
        quarantined
      }
      errors {
        message
        code
      }
    }
  }
`);

/** The page of one run: what it did, and what it quarantined. */
const runHref = (id: string) => `/pipeline/runs/${id}`;

/** Recent ingestion runs, newest first, with what each counted and its first error; each links to its own page. */
export function RunList({ runs: ref, after }: { runs: FragmentType<typeof RunListFragment>; after: string }) {
  const runs = getFragmentData(RunListFragment, ref);
  return (
    <section className="card" aria-labelledby="runs-heading">
      <h2 id="runs-heading">Runs</h2>
      <ScrollRegion label="Runs">
        <table className="table">
          <caption>{formatCount(runs.totalCount)} runs in all, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Source</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col" className="num">
                Pages
              </th>
              <th scope="col" className="num">
                Inserted
              </th>
              <th scope="col" className="num">
                Updated
              </th>
              <th scope="col" className="num">
                Set aside
              </th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {runs.nodes.length === 0 ? (
              <tr>
                <td colSpan={10}>No runs yet.</td>
              </tr>
            ) : null}
            {runs.nodes.map((run) => (
              <tr key={run.id}>
                <th scope="row">
                  {/* No prefetch: a run's page has no loading boundary (so an unknown run is a real 404),
                  and prefetching it would run its whole query for every listed run. */}
                  <Link href={runHref(run.id)} prefetch={false}>
                    <span className="visually-hidden">Run </span>#{run.id}
                  </Link>
                </th>
                <td>{run.source}</td>
                <td>
                  <RunStatus status={run.status} />
                </td>
                <td>{formatInstant(run.startedAt)}</td>
                <td className="num">{formatDuration(run.durationMs)}</td>
                <td className="num">{formatCount(run.counts.pages)}</td>
                <td className="num">{formatCount(run.counts.inserted)}</td>
                <td className="num">{formatCount(run.counts.updated)}</td>
                <td className="num">
                  {run.counts.quarantined === 0 ? (
                    '0'
                  ) : (
                    <Link href={`${runHref(run.id)}#quarantine`} prefetch={false}>
                      {formatCount(run.counts.quarantined)}
                      <span className="visually-hidden"> set aside by run #{run.id}</span>
                    </Link>
                  )}
                </td>
                <td>
                  {run.errors[0]
                    ? `${run.errors[0].message}${run.errors.length > 1 ? ` (+${run.errors.length - 1} more)` : ''}`
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <nav className="pager" aria-label="Run pages">
        {after ? (
          <Link className="button secondary" href="/pipeline">
            ← Newest runs
          </Link>
        ) : (
          <span />
        )}
        {runs.pageInfo.hasNextPage && runs.pageInfo.endCursor ? (
          <Link className="button" href={`/pipeline?after=${encodeURIComponent(runs.pageInfo.endCursor)}`}>
            Older runs →
          </Link>
        ) : null}
      </nav>
    </section>
  );
}
