/** Stable codes for a source request that failed for good; `ingest_runs.errors` records them. */
export type SourceErrorCode =
  | 'HTTP_CLIENT_ERROR'
  | 'HTTP_UNAUTHORIZED'
  | 'HTTP_RETRIES_EXHAUSTED'
  | 'HTTP_RETRY_AFTER_TOO_LONG'
  | 'DAILY_BUDGET_EXHAUSTED'
  | 'SOURCE_BUDGET_EXHAUSTED'
  | 'SOURCE_CONFIG'
  | 'SOURCE_RESPONSE_INVALID';

/** A request a source gave up on, with what the server said. */
export class SourceRequestError extends Error {
  override name = 'SourceRequestError';
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly details: { status?: number; url?: string; retryAt?: number } = {},
  ) {
    super(message);
  }
}

/**
 * The message a marketplace API put in an error body: eBay's `errors[0].message`, Keepa's
 * `error.message`, a bare `message`, or the start of the body.
 */
export function errorBodyMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const errors = record.errors;
      if (Array.isArray(errors) && errors[0] && typeof errors[0] === 'object') {
        const first = errors[0] as Record<string, unknown>;
        const text = first.longMessage ?? first.message;
        if (typeof text === 'string')
          return first.errorId === undefined ? text : `${text} (errorId ${String(first.errorId)})`;
      }
      const error = record.error;
      if (error && typeof error === 'object') {
        const text = (error as Record<string, unknown>).message ?? (error as Record<string, unknown>).type;
        if (typeof text === 'string') return text;
      }
      if (typeof record.error_description === 'string') return record.error_description;
      if (typeof record.message === 'string') return record.message;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const text = body.trim().replace(/\s+/g, ' ');
  return text.length > 200 ? `${text.slice(0, 200)}...` : text || '(empty body)';
}
