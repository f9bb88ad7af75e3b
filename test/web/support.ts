import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

/** One GraphQL request the dashboard's server made to the gateway. */
export type RecordedRequest = { method: string; operationName: string | null };

/** A pass-through HTTP proxy in front of the gateway that records every request to /graphql. */
export type CountingProxy = {
  url: string;
  requests: RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
};

function operationNameOf(method: string, url: string, body: string): string | null {
  if (method === 'GET') return new URL(url, 'http://x').searchParams.get('operationName');
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'operationName' in parsed && typeof parsed.operationName === 'string') {
      return parsed.operationName;
    }
  } catch {
    // Not JSON: recorded without a name; the gateway answers it with BAD_REQUEST.
  }
  return null;
}

/** Starts a counting proxy on 127.0.0.1 forwarding to `target` (an http origin). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = incoming.method ?? 'GET';
      if ((incoming.url ?? '').startsWith('/graphql') && (method === 'POST' || method === 'GET')) {
        requests.push({ method, operationName: operationNameOf(method, incoming.url ?? '', body.toString('utf8')) });
      }
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: incoming.url,
          method,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502, { 'content-type': 'text/plain' });
        outgoing.end(error.message);
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => requests.splice(0, requests.length),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Builds the production dashboard unless web/.next already holds a build of these sources. */
export function buildDashboardOnce(): void {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'web-build.mjs')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  if (result.status !== 0) throw new Error(`building the dashboard failed:\n${result.stdout}\n${result.stderr}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The production dashboard (`next start`), talking to the gateway at `gatewayUrl`. */
export type Dashboard = { url: string; stop(): Promise<void> };

/** Starts `next start web` on a free 127.0.0.1 port and waits until it says it is ready. */
export async function startDashboard(gatewayUrl: string): Promise<Dashboard> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      'web',
      '-H',
      '127.0.0.1',
      '-p',
      String(port),
    ],
    {
      cwd: root,
      env: { ...process.env, GATEWAY_URL: gatewayUrl, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`next start did not become ready:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Ready in/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`next start exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
