import type { Metadata } from 'next';
import { GraphiQLFrame } from '@/components/explorer/graphiql-frame';
import { PageTitle } from '@/components/layout/page-title';
import { webConfig } from '@/lib/config';

export const metadata: Metadata = { title: 'Explorer' };

export const dynamic = 'force-dynamic';

export default function ExplorerPage() {
  return (
    <>
      <PageTitle
        title="Explorer"
        subtitle="GraphiQL on the live API: the docs explorer (book icon) describes every type and field; the first tab holds an example query — run it with Ctrl-Enter."
        actions={
          <a className="button secondary" href={webConfig.publicGatewayUrl} target="_blank" rel="noopener">
            Open full screen<span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        }
      />
      <GraphiQLFrame src={webConfig.publicGatewayUrl} />
    </>
  );
}
