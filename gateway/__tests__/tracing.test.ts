import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openTestDatabase } from '../../test/support/database';
import { killSpawnedGateways, startGatewayProcess } from '../../test/support/gateway-process';
import { startTracing } from '../tracing';

// A real gateway process exporting to a real OTLP/HTTP receiver; waits are on conditions.
jest.setTimeout(10 * 60_000);

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: AnyValue }[];
};
type OtlpExport = {
  resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
};

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

/** An OTLP/HTTP collector stand-in: keeps every span POSTed to /v1/traces, as JSON. */
function startReceiver() {
  const spans: (OtlpSpan & { service?: string })[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const exported = JSON.parse(body) as OtlpExport;
        for (const { resource, scopeSpans } of exported.resourceSpans) {
          const service = resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue;
          for (const scope of scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans };
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value?.stringValue ?? value?.intValue ?? value?.boolValue;
};

const receiver = startReceiver();
const dataDir = mkdtempSync(path.join(tmpdir(), 'soldgraph-traces-'));
let database: Awaited<ReturnType<typeof openTestDatabase>> | undefined;

afterAll(async () => {
  await killSpawnedGateways();
  receiver.server.close();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('OpenTelemetry traces', () => {
  it('are off unless an OTLP endpoint is configured', () => {
    expect(startTracing({})).toBeUndefined();
    expect(
      startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toBeUndefined();
  });

  it('follow a request from HTTP through GraphQL to each SQL statement, continuing the caller’s trace', async () => {
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.server.address() as AddressInfo;
    // On PostgreSQL, a database of its own that the gateway seeds; embedded otherwise.
    database = process.env.DATABASE_URL ? await openTestDatabase() : undefined;
    const gateway = await startGatewayProcess({
      ...(database?.url ? { DATABASE_URL: database.url, AUTH_MODE: 'open' } : { PGLITE_DIR: dataDir }),
      SEED_SIZE: 'small',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });

    // The caller's own trace, as a browser or another service would send it (W3C traceparent).
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ query: 'query Traced { products(first: 2) { nodes { id title } } }' }),
    });
    expect(response.status).toBe(200);
    await fetch(`${gateway.url}/health`);

    const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    const queryText = (span: OtlpSpan) => attribute(span, 'db.query.text') ?? attribute(span, 'db.statement');
    // Statements, not the pool's connect spans.
    const sqlSpans = () => inTrace().filter((span) => span.kind === SPAN_KIND_CLIENT && queryText(span) !== undefined);
    while (!(inTrace().some((span) => span.kind === SPAN_KIND_SERVER) && sqlSpans().length > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const spans = inTrace();
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const ancestors = (span: OtlpSpan) => {
      const chain: OtlpSpan[] = [];
      for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? '')) {
        chain.push(parent);
      }
      return chain;
    };
    const server = spans.find((span) => span.kind === SPAN_KIND_SERVER);
    expect(server).toMatchObject({ name: 'POST /graphql', service: 'soldgraph-gateway' });
    expect(spans.map((span) => span.name)).toEqual(
      expect.arrayContaining(['graphql.parse', 'graphql.validate', 'query Traced']),
    );
    const sql = sqlSpans();
    for (const span of sql) {
      expect(attribute(span, 'db.system.name') ?? attribute(span, 'db.system')).toBe('postgresql');
      expect(String(queryText(span))).toMatch(/select/i);
      // Each statement sits under the GraphQL execution, which sits under the HTTP request.
      const chain = ancestors(span);
      expect(chain.map((parent) => parent.name)).toContain('query Traced');
      expect(chain).toContain(server);
    }
    // Probes and scrapes stay out of the traces.
    expect(receiver.spans.some((span) => String(attribute(span, 'url.path')).startsWith('/health'))).toBe(false);
    expect(receiver.spans.some((span) => String(attribute(span, 'http.target')).startsWith('/health'))).toBe(false);
  });
});
