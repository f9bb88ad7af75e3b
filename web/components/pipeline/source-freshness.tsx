import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatCount, formatInstant } from '@/lib/format';
import { RunStatus } from './run-status';
import { ScrollRegion } from '@/components/layout/scroll-region';

export const SourceFreshnessFragment = graphql(`
  fragment SourceFreshness on Query {
    ingestSources {
      source
      lastRunAt
      lastRunStatus
      lastSuccessfulRunAt
      counts {
        fetched
        inserted
        updated
        quarantined
      }
      watermarks {
        scope
        value
        updatedAt
      }
    }
  }
`);

const HOUR_MS = 3_600_000;

/** How long ago, in words a reader scans: "3 h ago", "2 d ago". */
function age(iso: string, now: number): string {
  const hours = (now - Date.parse(iso)) / HOUR_MS;
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min ago`;
  if (hours < 48) return `${Math.round(hours)} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** Per source: its latest run, when it last succeeded (freshness) and its sync positions. */
export function SourceFreshness({ query, now }: { query: FragmentType<typeof SourceFreshnessFragment>; now: number }) {
  const { ingestSources } = getFragmentData(SourceFreshnessFragment, query);
  return (
    <section className="card" aria-labelledby="sources-heading">
      <h2 id="sources-heading">Sources</h2>
      {ingestSources.length === 0 ? (
        <p>
          No source has run yet. Start one with <code>npm run ingest -- samples</code> or{' '}
          <code>npm run ingest -- &lt;source&gt;</code>.
        </p>
      ) : (
        <ScrollRegion label="Sources">
          <table className="table">
            <caption>Freshness is the time since a source last finished successfully</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Latest run</th>
                <th scope="col">Fresh as of</th>
                <th scope="col" className="num">
                  Fetched
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
                <th scope="col">Sync positions</th>
              </tr>
            </thead>
            <tbody>
              {ingestSources.map((source) => (
                <tr key={source.source}>
                  <th scope="row">{source.source}</th>
                  <td>
                    <RunStatus status={source.lastRunStatus} /> {formatInstant(source.lastRunAt)}
                  </td>
                  <td>
                    {source.lastSuccessfulRunAt ? (
                      <>
                        {age(source.lastSuccessfulRunAt, now)}
                        <span className="muted"> · {formatInstant(source.lastSuccessfulRunAt)}</span>
                      </>
                    ) : (
                      <span className="muted">never succeeded</span>
                    )}
                  </td>
                  <td className="num">{formatCount(source.counts.fetched)}</td>
                  <td className="num">{formatCount(source.counts.inserted)}</td>
                  <td className="num">{formatCount(source.counts.updated)}</td>
                  <td className="num">{formatCount(source.counts.quarantined)}</td>
                  <td>
                    {source.watermarks.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      source.watermarks.map((watermark) => (
                        <div key={watermark.scope}>
                          <code>{watermark.scope}</code>: {watermark.value}
                        </div>
                      ))
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
