'use client';

import { useRouter } from 'next/navigation';
import { startTransition } from 'react';
import { GatewayProblemsError, ProblemList } from './gateway-errors';
import type { GatewayProblem } from '@/lib/apollo/page-query';

type ErrorPanelProps = { error: Error & { digest?: string }; reset: () => void };

function problemsOf(error: Error): GatewayProblem[] {
  return error instanceof GatewayProblemsError ? error.problems : [{ message: error.message, code: null }];
}

/**
 * What a route's error.tsx shows: the gateway's messages and codes (raised by
 * `<GatewayErrors>`), and a retry that fetches the page's data again. Other server errors
 * arrive from Next with only a digest, which the server log explains.
 */
export function ErrorPanel({ error, reset }: ErrorPanelProps) {
  const router = useRouter();
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div>
      <ProblemList problems={problemsOf(error)} />
      {error.digest ? <p className="muted">Reference: {error.digest}</p> : null}
      <button type="button" className="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}
