import { backoffDelay, type BackoffPolicy, retryAfterMs } from './backoff';
import { type Clock, systemClock } from './clock';
import { errorBodyMessage, SourceRequestError } from './errors';

/** Supplies the `Authorization` header; `invalidate` drops a token the server refused (401). */
export type AuthProvider = {
  authorization(signal: AbortSignal): Promise<string>;
  invalidate(rejected: string): Promise<void>;
};

export type HttpResponse = {
  status: number;
  headers: Headers;
  body: string;
  /** Origin and path only: query strings can carry API keys (Keepa's `key`). */
  endpoint: string;
  contentType?: string;
  /** The parsed body when the request asked for `json`. */
  json?: unknown;
};

export type HttpRequest = {
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  auth?: AuthProvider;
  /** Parse the body as JSON; an unreadable 2xx body is retried like a 5xx (a cut-off response). */
  json?: boolean;
  signal: AbortSignal;
  warn(message: string, code?: string): void;
};

export type HttpClientOptions = {
  /** Names the client in errors and warnings, e.g. `ebay-browse`. */
  name: string;
  timeoutMs: number;
  maxRetries: number;
  backoff: BackoffPolicy;
  /** The longest wait a server may ask for (Retry-After, Keepa's refillIn); longer asks fail at once. */
  maxRetryAfterMs: number;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Called before every attempt, retries included: the source's rate limit and daily budget. */
  beforeRequest?(signal: AbortSignal): Promise<void>;
  /** Sees every response (Keepa reads its token counters from each). */
  onResponse?(response: HttpResponse): void;
  /** How long a retryable response asks to wait when it has no Retry-After (Keepa's `refillIn`). */
  retryHint?(response: HttpResponse): number | undefined;
};

export type HttpClient = { request(request: HttpRequest): Promise<HttpResponse> };

type Failure = { message: string; code: string; waitMs?: number; status?: number };

class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
}

/** One attempt: the request with a timeout of its own, the whole body read. */
async function fetchOnce(
  doFetch: typeof fetch,
  timeoutMs: number,
  request: HttpRequest,
  authorization: string | undefined,
): Promise<HttpResponse> {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new RequestTimeoutError(`no complete answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (authorization) headers.authorization = authorization;
    const response = await doFetch(request.url, {
      method: request.method ?? 'GET',
      headers,
      body: request.body,
      signal: AbortSignal.any([request.signal, timeout.signal]),
    });
    const body = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body,
      endpoint: endpointOf(request.url),
      contentType: response.headers.get('content-type') ?? undefined,
    };
  } catch (error) {
    if (timeout.signal.aborted && !request.signal.aborted) throw timeout.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An HTTP client for source adapters: a timeout on every attempt; retries with exponential
 * backoff and full jitter on 408, 429, 5xx, timeouts, network errors and unreadable JSON,
 * honouring Retry-After; one token refresh on 401; no retry on other 4xx. Every retried
 * failure is reported through `request.warn`.
 * @example
 *   const http = createHttpClient({ name: 'ebay-browse', timeoutMs: 30_000, maxRetries: 5,
 *     backoff: { baseMs: 500, maxMs: 30_000 }, maxRetryAfterMs: 300_000 });
 *   const page = await http.request({ url, json: true, signal, warn });
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? fetch;

  /** One attempt, classified; network failures and timeouts come back as retryable failures. */
  async function send(request: HttpRequest, authorization: string | undefined): Promise<Outcome> {
    let response: HttpResponse;
    try {
      response = await fetchOnce(doFetch, options.timeoutMs, request, authorization);
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      const failure =
        error instanceof RequestTimeoutError
          ? { message: `timed out: ${error.message}`, code: 'HTTP_TIMEOUT' }
          : { message: `network error: ${describe(error)}`, code: 'HTTP_NETWORK' };
      return { kind: 'retry', failure };
    }
    options.onResponse?.(response);
    return classify(response, request, clock.now(), options);
  }

  /** How long to wait before retry number `retries + 1`, or the error that ends the request. */
  function waitBeforeRetry(failure: Failure, retries: number, what: string, url: URL): number {
    if (failure.waitMs !== undefined && failure.waitMs > options.maxRetryAfterMs) {
      throw new SourceRequestError(
        'HTTP_RETRY_AFTER_TOO_LONG',
        `${what} ${failure.message} and asks to wait ${Math.ceil(failure.waitMs / 1000)} s, longer than the ${Math.ceil(options.maxRetryAfterMs / 1000)} s allowed`,
        { status: failure.status, url: endpointOf(url), retryAt: clock.now() + failure.waitMs },
      );
    }
    if (retries >= options.maxRetries) {
      throw new SourceRequestError(
        'HTTP_RETRIES_EXHAUSTED',
        `${what} ${failure.message}; gave up after ${retries + 1} attempts`,
        { status: failure.status, url: endpointOf(url) },
      );
    }
    return failure.waitMs ?? backoffDelay(retries, options.backoff, clock.random);
  }

  return {
    async request(request) {
      const what = `${options.name}: ${request.method ?? 'GET'} ${endpointOf(request.url)}`;
      const url = endpointOf(request.url);
      let retries = 0;
      let refreshedAuth = false;
      for (;;) {
        request.signal.throwIfAborted();
        await options.beforeRequest?.(request.signal);
        const authorization = request.auth ? await request.auth.authorization(request.signal) : undefined;
        const outcome = await send(request, authorization);
        if (outcome.kind === 'ok') return outcome.response;
        if (outcome.kind === 'unauthorized') {
          if (request.auth && authorization && !refreshedAuth) {
            refreshedAuth = true;
            request.warn(`${what} answered 401 (${outcome.message}); refreshing the token once`, 'HTTP_401_REFRESH');
            await request.auth.invalidate(authorization);
            continue;
          }
          throw new SourceRequestError('HTTP_UNAUTHORIZED', `${what} answered 401: ${outcome.message}`, {
            status: 401,
            url,
          });
        }
        if (outcome.kind === 'fatal') {
          throw new SourceRequestError('HTTP_CLIENT_ERROR', `${what} answered ${outcome.status}: ${outcome.message}`, {
            status: outcome.status,
            url,
          });
        }
        const waitMs = waitBeforeRetry(outcome.failure, retries, what, request.url);
        retries += 1;
        request.warn(
          `${what} ${outcome.failure.message}; retry ${retries}/${options.maxRetries} in ${waitMs} ms`,
          outcome.failure.code,
        );
        await clock.sleep(waitMs, request.signal);
      }
    },
  };
}

type Outcome =
  | { kind: 'ok'; response: HttpResponse }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'fatal'; message: string; status: number }
  | { kind: 'retry'; failure: Failure };

function classify(response: HttpResponse, request: HttpRequest, nowMs: number, options: HttpClientOptions): Outcome {
  const { status } = response;
  if (status >= 200 && status < 300) {
    if (!request.json) return { kind: 'ok', response };
    try {
      return { kind: 'ok', response: { ...response, json: JSON.parse(response.body) as unknown } };
    } catch (error) {
      return {
        kind: 'retry',
        failure: {
          message: `answered ${status} with malformed JSON (${describe(error)})`,
          code: 'HTTP_MALFORMED_JSON',
          status,
        },
      };
    }
  }
  const message = errorBodyMessage(response.body);
  if (status === 401) return { kind: 'unauthorized', message };
  if (status === 408 || status === 429 || status >= 500) {
    const waitMs = retryAfterMs(response.headers.get('retry-after'), nowMs) ?? options.retryHint?.(response);
    return {
      kind: 'retry',
      failure: { message: `answered ${status} (${message})`, code: `HTTP_${status}`, waitMs, status },
    };
  }
  return { kind: 'fatal', message, status };
}

function endpointOf(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
