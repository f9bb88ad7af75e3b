import Link from 'next/link';
import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatCount, formatInstant } from '@/lib/format';
import { ScrollRegion } from '@/components/layout/scroll-region';

// `$after` is the run page's variable, the URL's cursor: the page stays one request.
export const RunQuarantineFragment = graphql(`
  fragment RunQuarantine on IngestRun {
    id
    counts {
      quarantined
    }
    quarantine(first: 25, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        code
        reason
        locator
        createdAt
      }
    }
  }
`);

/** A page of a run's quarantine, ending at its section (where the Pipeline page's count links). */
export function quarantineHref(runId: string, after?: string): string {
  return `/pipeline/runs/${runId}${after ? `?after=${encodeURIComponent(after)}` : ''}#quarantine`;
}

/** The query an operator runs in GraphiQL for the raw payloads, which the dashboard cannot read. */
function payloadQuery(runId: string): string {
  return `query Payloads($after: String) {
  ingestRun(id: ${JSON.stringify(runId)}) {
    quarantine(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { locator record }
    }
  }
}`;
}

/**
 * The records a run set aside, a page at a time (`after` is the URL's cursor, empty on the
 * first page): why and where. Their raw payloads (`record`) need the API's `operator` scope,
 * which the dashboard's role has not: they are the source's data as it came.
 */
export function RunQuarantine({ run: ref, after }: { run: FragmentType<typeof RunQuarantineFragment>; after: string }) {
  const run = getFragmentData(RunQuarantineFragment, ref);
  const { totalCount, pageInfo, nodes } = run.quarantine;
  return (
    <section className="card" id="quarantine" aria-labelledby="quarantine-heading">
      <h2 id="quarantine-heading">Quarantine</h2>
      {totalCount === 0 ? (
        <p data-testid="quarantine-count">No records were quarantined: every record this run read was stored.</p>
      ) : (
        <>
          {totalCount > run.counts.quarantined ? (
            <p data-testid="quarantine-notes">
              The list is longer than the {formatCount(run.counts.quarantined)} records set aside: it also notes fields
              dropped from records that were kept (a GTIN with a bad check digit).
            </p>
          ) : null}
          <ScrollRegion label="Quarantined records">
            <table className="table">
              <caption>{formatCount(totalCount)} in all, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Locator</th>
                  <th scope="col">Set aside</th>
                </tr>
              </thead>
              <tbody>
                {nodes.length === 0 ? (
                  <tr>
                    <td colSpan={4}>No more records after this point.</td>
                  </tr>
                ) : null}
                {nodes.map((record) => (
                  <tr key={record.id}>
                    <td>
                      <code>{record.code}</code>
                    </td>
                    <td className="message">{record.reason}</td>
                    <td className="nowrap">{record.locator}</td>
                    <td className="nowrap">{formatInstant(record.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {/* No prefetch: a run's page has no loading boundary, so prefetching would run its whole query. */}
          <nav className="pager" aria-label="Quarantine pages">
            {after ? (
              <Link className="button secondary" href={quarantineHref(run.id)} prefetch={false}>
                ← First page
              </Link>
            ) : (
              <span />
            )}
            {pageInfo.hasNextPage && pageInfo.endCursor ? (
              <Link className="button" href={quarantineHref(run.id, pageInfo.endCursor)} rel="next" prefetch={false}>
                Next records →
              </Link>
            ) : null}
          </nav>
          <h3>Raw payloads</h3>
          <p>
            Each record as the source gave it is operator data. Run this query in the{' '}
            <Link href="/explorer">Explorer</Link> (GraphiQL) with an operator key in its headers,{' '}
            <code>{'{ "Authorization": "Bearer sg_…" }'}</code> (<code>npm run keys -- create --role operator</code>;
            none is needed on the embedded database on your own machine), and set <code>after</code> to the
            answer&rsquo;s <code>endCursor</code> for the next 100.
          </p>
          <ScrollRegion label="Query for the raw payloads">
            <pre className="code-block">
              <code>{payloadQuery(run.id)}</code>
            </pre>
          </ScrollRegion>
        </>
      )}
    </section>
  );
}
