import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatInstant } from '@/lib/format';
import { ScrollRegion } from '@/components/layout/scroll-region';

export const RunErrorsFragment = graphql(`
  fragment RunErrors on IngestRun {
    errors {
      at
      message
      code
      warning
    }
  }
`);

/** Every failure a run met, oldest first; the Pipeline page's run list shows only the first. */
export function RunErrors({ run: ref }: { run: FragmentType<typeof RunErrorsFragment> }) {
  const { errors } = getFragmentData(RunErrorsFragment, ref);
  return (
    <section className="card" aria-labelledby="errors-heading">
      <h2 id="errors-heading">Errors and warnings</h2>
      {errors.length === 0 ? (
        <p>None: no request failed and nothing stopped the run.</p>
      ) : (
        <ScrollRegion label="Errors and warnings">
          <table className="table">
            <caption>Oldest first; a warning lost nothing (a request retried and answered, a wait for tokens)</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">Code</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((error, index) => (
                <tr key={index}>
                  <td className="nowrap">{formatInstant(error.at)}</td>
                  <td>{error.warning ? 'warning' : 'error'}</td>
                  <td>{error.code ? <code>{error.code}</code> : <span className="muted">none</span>}</td>
                  <td>{error.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
