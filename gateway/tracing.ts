import { IncomingMessage } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_HTTP_ROUTE, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** Paths that are not requests of users: probes and scrapes would drown the traces. */
const UNTRACED_PATHS = new Set(['/health', '/metrics']);

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0] ?? '';

export type Tracing = {
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
};

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured (the standard
 * `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), and does nothing
 * otherwise: no spans, no cost. Each GraphQL request becomes one trace: the HTTP server span,
 * GraphQL's parse, validate and execute, and every SQL statement under them (node-postgres;
 * PGlite's statements are traced in db/client.ts). Resolver spans are off: one per field of a
 * 1,000-row answer would cost more than the answer.
 *
 * Must run before express, graphql and pg are first required, since the instrumentations
 * patch them as they load: gateway/main.ts loads the rest of the gateway after it.
 */
export function startTracing(env: NodeJS.ProcessEnv): Tracing | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  if (env.OTEL_SDK_DISABLED === 'true') return undefined;
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'soldgraph-gateway' }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(pathOf(request.url)),
        // Without a router instrumentation a server span is named by its method alone; the
        // gateway has one route that matters, so name it (http.route stays low-cardinality).
        requestHook: (span, request) => {
          if (request instanceof IncomingMessage && pathOf(request.url) === '/graphql') {
            span.updateName(`${request.method} /graphql`);
            span.setAttribute(ATTR_HTTP_ROUTE, '/graphql');
          }
        },
      }),
      new GraphQLInstrumentation({ ignoreResolveSpans: true }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}
