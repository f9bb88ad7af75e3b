import Link from 'next/link';
import { GatewayErrors } from './gateway-errors';
import { type GatewayProblem, refusedCursor } from '@/lib/apollo/page-query';

/**
 * What a paged list shows when its query fails. A cursor the API refused gets a way back to
 * the first page, not the error boundary's retry, which would send the same cursor again;
 * anything else is the gateway's own message with a retry.
 */
export function PageErrors({ problems, firstPage }: { problems: GatewayProblem[]; firstPage: string }) {
  if (!refusedCursor(problems)) return <GatewayErrors problems={problems} />;
  return (
    <section className="card" aria-labelledby="bad-page-heading" data-testid="bad-cursor">
      <h2 id="bad-page-heading">This page link does not work</h2>
      <p>
        The address points at a page the list cannot find: its <code>after</code> value is not a position the list
        handed out. It may be mistyped, cut short, or copied from another list or sort order.
      </p>
      <p>
        {/* No prefetch: on a page without a loading boundary (a run's) it would run the page's whole query. */}
        <Link className="button" href={firstPage} prefetch={false}>
          Go to the first page
        </Link>
      </p>
    </section>
  );
}
