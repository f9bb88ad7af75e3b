import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { graphql } from '@/__generated__';
import { PageErrors } from '@/components/layout/page-errors';
import { PageTitle } from '@/components/layout/page-title';
import { RunErrors } from '@/components/pipeline/run-errors';
import { quarantineHref, RunQuarantine } from '@/components/pipeline/run-quarantine';
import { RunSummary } from '@/components/pipeline/run-summary';
import { runPageQuery } from '@/lib/apollo/page-query';
import { query } from '@/lib/apollo/server-client';
import { isIntegerId } from '@/lib/ids';
import { firstParam, type SearchParams } from '@/lib/search-params';

const RunPageQuery = graphql(`
  query PipelineRunPage($id: ID!, $after: String) {
    ingestRun(id: $id) {
      id
      source
      ...RunSummary
      ...RunQuarantine
      ...RunErrors
    }
  }
`);

/**
 * The page's one GraphQL request, shared by generateMetadata and the page within a request
 * (React's cache), or undefined for an id that cannot name a run. `after` is the quarantine
 * page's cursor; empty for the first page.
 */
const loadRun = cache(async (id: string, after: string) =>
  isIntegerId(id)
    ? runPageQuery(() => query({ query: RunPageQuery, variables: { id, after: after || null } }))
    : undefined,
);

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

/** The route's id and the quarantine page's cursor from the URL. */
async function readUrl({ params, searchParams }: Props): Promise<[id: string, after: string]> {
  return [(await params).id, firstParam(await searchParams, 'after') ?? ''];
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const [id, after] = await readUrl(props);
  const result = await loadRun(id, after);
  if (result && !result.ok) return { title: `Run #${id}` };
  const run = result?.data.ingestRun;
  return { title: run ? `Run #${run.id} (${run.source})` : 'Run not found' };
}

export default async function RunPage(props: Props) {
  const [id, after] = await readUrl(props);
  // No loading boundary above this route (the run list's sits in its (list) group), so
  // notFound() answers before anything streams: a real 404.
  const result = await loadRun(id, after);
  if (!result) notFound();
  const title = (
    <PageTitle
      title={`Run #${id}`}
      subtitle="What this ingestion run did, and the records it quarantined."
      actions={
        <Link className="button secondary" href="/pipeline">
          ← All runs
        </Link>
      }
    />
  );
  if (!result.ok) {
    return (
      <>
        {title}
        <PageErrors problems={result.problems} firstPage={quarantineHref(id)} />
      </>
    );
  }
  const run = result.data.ingestRun;
  if (!run) notFound();
  return (
    <>
      {title}
      <div className="stack">
        <RunSummary run={run} />
        <RunQuarantine run={run} after={after} />
        <RunErrors run={run} />
      </div>
    </>
  );
}
