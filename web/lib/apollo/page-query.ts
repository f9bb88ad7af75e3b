import { CombinedGraphQLErrors } from '@apollo/client/errors';

/** One error the gateway reported, as an error boundary shows it; `argument` names the argument it refused. */
export type GatewayProblem = { message: string; code: string | null; argument?: string };

/** A page query's outcome: its data, or what went wrong in words a person can act on. */
export type PageQueryResult<TData> = { ok: true; data: TData } | { ok: false; problems: GatewayProblem[] };

/**
 * Runs a page's one GraphQL request and turns failures into problems the page hands to
 * `<GatewayErrors>`: Next hides the message of anything thrown in a server component in
 * production, and the GraphQL error's message is exactly what the reader needs.
 * @example const result = await runPageQuery(() => query({ query: OverviewPageQuery, variables }));
 */
export async function runPageQuery<TData>(
  run: () => Promise<{ data: TData | undefined }>,
): Promise<PageQueryResult<TData>> {
  try {
    const { data } = await run();
    if (data === undefined)
      return { ok: false, problems: [{ message: 'The gateway answered without data.', code: null }] };
    return { ok: true, data };
  } catch (error) {
    if (CombinedGraphQLErrors.is(error)) {
      return {
        ok: false,
        problems: error.errors.map(({ message, extensions }) => ({
          message,
          code: typeof extensions?.code === 'string' ? extensions.code : null,
          ...(typeof extensions?.argument === 'string' ? { argument: extensions.argument } : {}),
        })),
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [{ message: `The gateway could not be reached: ${message}`, code: 'GATEWAY_UNREACHABLE' }],
    };
  }
}

/**
 * Whether the API refused the page's `after` cursor (mistyped, cut short, or from another
 * list or sort): asking again cannot help, only the first page can.
 */
export function refusedCursor(problems: GatewayProblem[]): boolean {
  return problems.some((problem) => problem.code === 'BAD_USER_INPUT' && problem.argument === 'after');
}
