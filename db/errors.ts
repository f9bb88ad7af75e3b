// Connection failures: the database is away, which is neither the caller's fault nor a bug.
const UNAVAILABLE_SQLSTATE = /^(08|57P)/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE']);

/** The innermost `cause` of an error (drivers and Drizzle wrap the original). */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth += 1) {
    const next = (current as { cause?: unknown } | null)?.cause;
    if (!next) break;
    current = next;
  }
  return current;
}

/** Whether an error means the database cannot be reached (as opposed to a bad statement). */
export function isDatabaseUnavailable(cause: unknown): boolean {
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
  return typeof message === 'string' && /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}

/** A PostgreSQL error as drivers deliver it: SQLSTATE, message, and the server's detail and hint. */
type PostgresError = Error & { code: string; detail?: string; hint?: string };

function isPostgresError(error: unknown): error is PostgresError {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * What went wrong, in one readable line for an operator: PostgreSQL's own message with its
 * SQLSTATE, detail and hint, instead of Drizzle's "Failed query: <SQL> params: ..." wrapper.
 * @example describeError(error) // "canceling statement due to statement timeout (SQLSTATE 57014)"
 */
export function describeError(error: unknown): string {
  for (let current = error, depth = 0; current && depth < 6; depth += 1) {
    if (isPostgresError(current)) {
      const extra = [current.detail, current.hint && `hint: ${current.hint}`].filter(Boolean).join('; ');
      return `${current.message} (SQLSTATE ${current.code})${extra ? `: ${extra}` : ''}`;
    }
    current = (current as { cause?: unknown }).cause;
  }
  // Drizzle's wrapper says only which SQL failed: describe what it wraps instead.
  let current = error;
  while (current instanceof Error && current.message.startsWith('Failed query:') && current.cause) {
    current = current.cause;
  }
  return current instanceof Error ? current.message : String(current);
}
