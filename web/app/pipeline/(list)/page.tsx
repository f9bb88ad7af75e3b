import type { Metadata } from 'next';
import { graphql } from '@/__generated__';
import { PageErrors } from '@/components/layout/page-errors';
import { PageTitle } from '@/components/layout/page-title';
import { RunList } from '@/components/pipeline/run-list';
import { SourceFreshness } from '@/components/pipeline/source-freshness';
import { runPageQuery } from '@/lib/apollo/page-query';
import { query } from '@/lib/apollo/server-client';
import { firstParam, type SearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Pipeline' };

const PipelinePageQuery = graphql(`
  query PipelinePage($after: String) {
    ...SourceFreshness
    ingestRuns(first: 20, after: $after) {
      ...RunList
    }
  }
`);

export default async function PipelinePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const after = firstParam(await searchParams, 'after') ?? '';
  const result = await runPageQuery(() => query({ query: PipelinePageQuery, variables: { after: after || null } }));
  return (
    <>
      <PageTitle title="Pipeline" subtitle="Ingestion runs and how fresh each source's data is." />
      {!result.ok ? (
        <PageErrors problems={result.problems} firstPage="/pipeline" />
      ) : (
        <div className="stack">
          {/* eslint-disable-next-line react-hooks/purity -- a server component renders once per request: "now" is its time */}
          <SourceFreshness query={result.data} now={Date.now()} />
          <RunList runs={result.data.ingestRuns} after={after} />
        </div>
      )}
    </>
  );
}
