import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Bounds on the SQL one piece of work issues (one API request): `signal` stops it, cancelling
 * statements already running on the server and refusing later ones; `admit` is awaited before
 * each statement and returns the slot's release (a bulkhead: how many statements of one
 * caller run at once).
 */
export type StatementScope = {
  signal?: AbortSignal;
  admit?: (signal?: AbortSignal) => Promise<() => void>;
};

/** A statement refused or cancelled because its scope was stopped; `reason` says why. */
export class StatementsStoppedError extends Error {
  override name = 'StatementsStoppedError';
  /** The reason in words, e.g. "the request ran past its deadline of 10000 ms". */
  readonly why: string;
  constructor(
    readonly reason: unknown,
    options?: { cause?: unknown },
  ) {
    const why = reason instanceof Error ? reason.message : String(reason);
    super(`the request's statements were stopped: ${why}`, options);
    this.why = why;
  }
}

const storage = new AsyncLocalStorage<StatementScope>();

/**
 * Runs `work` with every statement it causes (synchronously or later in its async context)
 * bound by `scope`.
 * @example withStatementScope({ signal: AbortSignal.timeout(10_000) }, () => next());
 */
export function withStatementScope<T>(scope: StatementScope, work: () => T): T {
  return storage.run(scope, work);
}

/**
 * Runs one statement under the current scope, if any: admitted by the bulkhead, refused once
 * stopped. `statement` receives the scope's signal, to cancel itself on the server when the
 * scope stops while it runs; a failure after the stop becomes a StatementsStoppedError.
 */
export async function runScoped<T>(statement: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  const scope = storage.getStore();
  if (!scope) return statement(undefined);
  const { signal } = scope;
  if (signal?.aborted) throw new StatementsStoppedError(signal.reason);
  const release = await scope.admit?.(signal);
  try {
    if (signal?.aborted) throw new StatementsStoppedError(signal.reason);
    return await statement(signal);
  } catch (error) {
    if (signal?.aborted && !(error instanceof StatementsStoppedError)) {
      throw new StatementsStoppedError(signal.reason, { cause: error });
    }
    throw error;
  } finally {
    release?.();
  }
}
