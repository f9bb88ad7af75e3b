import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A fault a fake serves instead of (or on top of) the normal answer to one request. */
export type Fault =
  | { kind: '429'; retryAfter?: string }
  | { kind: '500' }
  | { kind: '503' }
  /** Accepts the request and never answers: the client's timeout must fire. */
  | { kind: 'hang' }
  /** 200 with a body cut off mid-JSON. */
  | { kind: 'malformed' }
  /** Revokes every token minted so far, so this request answers 401. */
  | { kind: 'expired-token' }
  /** Adds unreadable records to an otherwise normal page. */
  | { kind: 'bad-record' };

export type FakeRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
};
export type FakeReply = { status: number; body: unknown; headers?: Record<string, string>; raw?: string };

/** Per-target FIFO of faults; each request to a target takes the next one. */
export class FaultQueue<Target extends string> {
  private readonly queues = new Map<Target, Fault[]>();
  push(target: Target, faults: Fault[]): void {
    this.queues.set(target, [...(this.queues.get(target) ?? []), ...faults]);
  }
  take(target: Target): Fault | undefined {
    return this.queues.get(target)?.shift();
  }
  pending(target: Target): number {
    return this.queues.get(target)?.length ?? 0;
  }
}

export type RunningFake = { url: string; close(): Promise<void> };

/**
 * Starts a JSON HTTP server on 127.0.0.1 with a free port. `handle` returns the reply, or
 * 'hang' to leave the request open; `close` destroys hanging sockets so tests end promptly.
 */
export async function startJsonServer(handle: (request: FakeRequest) => FakeReply | 'hang'): Promise<RunningFake> {
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let reply: FakeReply | 'hang';
      try {
        reply = handle({
          method: req.method ?? 'GET',
          path: decodeURIComponent(url.pathname),
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      } catch (error) {
        reply = { status: 500, body: { errors: [{ errorId: 10001, message: `fake failed: ${String(error)}` }] } };
      }
      if (reply === 'hang') return;
      const body = reply.raw ?? JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The generic reply for a fault that replaces the answer; undefined for faults the fake applies itself. */
export function faultReply(
  fault: Fault,
  errorBody: (status: number, message: string) => unknown,
): FakeReply | 'hang' | undefined {
  switch (fault.kind) {
    case '429':
      return {
        status: 429,
        body: errorBody(429, 'Too many requests'),
        headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
      };
    case '500':
      return { status: 500, body: errorBody(500, 'Internal error') };
    case '503':
      return { status: 503, body: errorBody(503, 'Service unavailable') };
    case 'hang':
      return 'hang';
    case 'malformed':
      return { status: 200, body: null, raw: '{"total": 3, "items": [{"itemId": "v1|1|0", "title": "cut off' };
    default:
      return undefined;
  }
}
