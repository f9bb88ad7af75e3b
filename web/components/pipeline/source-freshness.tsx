import { Fragment } from 'react';
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
      scopes {
        scope
        lastRunAt
        lastRunStatus
        lastSuccessfulRunAt
        counts {
          fetched
          inserted
          updated
          quarantined
        }
        watermark {
          value
        }
      }
    }
  }
`);

type Freshness = {
  lastRunAt: string;
  lastRunStatus: Parameters<typeof RunStatus>[0]['status'];
  lastSuccessfulRunAt?: string | null;
  counts: { fetched: number; inserted: number; updated: number; quarantined: number };
};

/** The cells a source and each of its scopes share: latest run, freshness, counts. */
function FreshnessCells({ of, now }: { of: Freshness; now: number }) {
  return (
    <>
      <td>
        <RunStatus status={of.lastRunStatus} /> {formatInstant(of.lastRunAt)}
      </td>
      <td>
        {of.lastSuccessfulRunAt ? (
          <>
            {age(of.lastSuccessfulRunAt, now)}
            <span className="muted"> · {formatInstant(of.lastSuccessfulRunAt)}</span>
          </>
        ) : (
          <span className="muted">never succeeded</span>
        )}
      </td>
      <td className="num">{formatCount(of.counts.fetched)}</td>
      <td className="num">{formatCount(of.counts.inserted)}</td>
      <td className="num">{formatCount(of.counts.updated)}</td>
      <td className="num">{formatCount(of.counts.quarantined)}</td>
    </>
  );
}

const HOUR_MS = 3_600_000;

/** How long ago, in words a reader scans: "3 h ago", "2 d ago". */
function age(iso: string, now: number): string {
  const hours = (now - Date.parse(iso)) / HOUR_MS;
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min ago`;
  if (hours < 48) return `${Math.round(hours)} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/**
 * Per source: its latest run, when it last succeeded (freshness) and its sync positions; a
 * source with several scopes also gets a row per scope.
 */
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
                <Fragment key={source.source}>
                  <tr>
                    <th scope="row">{source.source}</th>
                    <FreshnessCells of={source} now={now} />
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
                  {/* With several scopes, each gets a row: a failing one must not hide a fresh one. */}
                  {source.scopes.length > 1 &&
                    source.scopes.map((scope) => (
                      <tr key={scope.scope} className="subrow">
                        <th scope="row">
                          <span className="visually-hidden">{source.source}, scope </span>
                          <code>{scope.scope}</code>
                        </th>
                        <FreshnessCells of={scope} now={now} />
                        <td>{scope.watermark ? scope.watermark.value : <span className="muted">none</span>}</td>
                      </tr>
                    ))}
                </Fragment>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
