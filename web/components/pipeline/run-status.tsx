import type { IngestRunStatus } from '@/__generated__/graphql';

const LABELS: Record<IngestRunStatus, string> = {
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  ABANDONED: 'abandoned',
};

/** A run's status as a badge whose colour never carries the meaning alone. */
export function RunStatus({ status }: { status: IngestRunStatus }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{LABELS[status]}</span>;
}
