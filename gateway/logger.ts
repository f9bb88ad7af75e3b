import pino, { type Logger } from 'pino';

/** JSON logs on stdout, one object per line, as log shippers expect. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'soldgraph-gateway' } });
}
