'use client';

import { useSyncExternalStore } from 'react';
import type { GatewayProblem } from '@/lib/apollo/page-query';

/** Carries the gateway's problems to the route's error boundary (error.tsx). */
export class GatewayProblemsError extends Error {
  override name = 'GatewayProblemsError';
  constructor(readonly problems: GatewayProblem[]) {
    super(problems.map((problem) => problem.message).join('\n'));
  }
}

/**
 * Shows a failed page query. The server-rendered HTML lists the messages (readable without
 * JavaScript); once hydrated it raises them into the route's error boundary, which offers
 * a retry. Raising only on the client keeps the message: Next replaces the messages of
 * errors thrown during server rendering in production.
 */
export function GatewayErrors({ problems }: { problems: GatewayProblem[] }) {
  // false while rendering on the server and hydrating (the HTML must match), true after.
  const hydrated = useSyncExternalStore(subscribeToNothing, isClient, isServer);
  if (hydrated) throw new GatewayProblemsError(problems);
  return <ProblemList problems={problems} />;
}

const subscribeToNothing = () => () => {};
const isClient = () => true;
const isServer = () => false;

/** The gateway's messages with their stable codes. */
export function ProblemList({ problems }: { problems: GatewayProblem[] }) {
  return (
    <section className="error-panel" role="alert">
      <h1>The data could not be loaded</h1>
      <ul>
        {problems.map((problem, index) => (
          <li key={index}>
            {problem.message}
            {problem.code ? <code className="error-code">{problem.code}</code> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
