import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { AuthMode } from './auth';

/** A gateway process that listens: its URL, who may call it, and whether it exports traces. */
export type GatewayUp = { url: string; access: AuthMode; traced: boolean; sharedDatabaseUrl?: string };

/** What a gateway process tells the primary, and the primary answers. */
type WorkerMessage = ({ type: 'listening' } & GatewayUp) | { type: 'metrics'; id: number };
type PrimaryMessage = { type: 'metrics'; id: number; text?: string; error?: string };

/** A worker that dies within this long of starting counts as a crash loop: its restart waits longer. */
const STEADY_AFTER_MS = 10_000;
const RESTART_DELAY_MAX_MS = 30_000;

export type ClusterOptions = {
  processes: number;
  logger: Logger;
  /** How long the primary waits for its workers to stop before exiting anyway, with code 1. */
  forcedExitMs: number;
  /** Called once every worker listens, with what the first one reported. */
  onUp: (up: GatewayUp) => void;
};

/**
 * The primary of `GATEWAY_PROCESSES` gateways behind one port (node:cluster). The workers are
 * the ordinary gateway, each with its own database pool, sharing Redis: the primary owns the
 * listening socket and hands connections to them in turn, and serves nothing itself.
 *
 * - Start: one worker first, so migrations and the demo seed run once; then the others.
 * - A worker that dies is replaced, after a delay that grows while it keeps dying young.
 * - SIGTERM/SIGINT are passed to every worker, which stop gracefully; the primary exits with
 *   0 once all have exited cleanly.
 * - `/metrics` on any worker answers for all of them: the worker asks the primary, which
 *   collects every worker's registry (prom-client's AggregatorRegistry).
 */
export function runClusterPrimary(options: ClusterOptions): void {
  const { logger } = options;
  // Workers run the primary's script: stack traces through the bundles' source maps there too.
  if (process.sourceMapsEnabled && !process.execArgv.includes('--enable-source-maps')) {
    cluster.setupPrimary({ execArgv: [...process.execArgv, '--enable-source-maps'] });
  }
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const restartDelays = new Map<number, number>();

  const fork = (slot: number): Promise<GatewayUp> => {
    const worker = cluster.fork({ GATEWAY_SLOT: String(slot) });
    const started = Date.now();
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'metrics') void answerMetrics(worker, message.id);
    });
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      const young = Date.now() - started < STEADY_AFTER_MS;
      const delay = young ? Math.min((restartDelays.get(slot) ?? 500) * 2, RESTART_DELAY_MAX_MS) : 1_000;
      restartDelays.set(slot, delay);
      logger.error(
        { slot, pid: worker.process.pid, code, signal, restartInMs: delay },
        'gateway process died; restarting it',
      );
      setTimeout(() => {
        if (stopping) return;
        fork(slot).then(
          () => logger.info({ slot }, 'gateway process replaced; it listens'),
          (error: unknown) => logger.error({ err: error, slot }, 'restart failed'),
        );
      }, delay).unref();
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== 'listening') return;
        worker.off('exit', onExit);
        const { type: _type, ...up } = message;
        resolve(up);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`gateway process ${slot} exited with ${code} while starting`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
    });
  };

  const answerMetrics = async (worker: Worker, id: number) => {
    const reply: PrimaryMessage = { type: 'metrics', id };
    try {
      reply.text = await aggregator.clusterMetrics();
    } catch (error) {
      reply.error = error instanceof Error ? error.message : String(error);
    }
    if (worker.isConnected()) worker.send(reply);
  };

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(
      { signal, processes: Object.keys(cluster.workers ?? {}).length },
      'shutting down every gateway process',
    );
    setTimeout(() => {
      logger.error({ signal, afterMs: options.forcedExitMs }, 'gateway processes did not stop in time; forcing exit');
      process.exit(1);
    }, options.forcedExitMs).unref();
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    let failed = false;
    let left = workers.length;
    if (left === 0) process.exit(0);
    for (const worker of workers) {
      // A process still loading when the signal came has no handler yet and ends by it: stopped all the same.
      worker.once('exit', (code, exitSignal) => {
        failed ||= code !== 0 && exitSignal !== signal;
        left -= 1;
        if (left === 0) {
          logger.info({ signal }, 'stopped');
          process.exit(failed ? 1 : 0);
        }
      });
      worker.process.kill(signal);
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  void (async () => {
    let up: GatewayUp;
    try {
      up = await fork(1);
      await Promise.all(Array.from({ length: options.processes - 1 }, (_, i) => fork(i + 2)));
    } catch (error) {
      if (stopping) return;
      logger.error({ err: error }, 'gateway processes failed to start');
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      process.exitCode = 1;
      return;
    }
    if (!stopping) options.onUp(up);
  })();
}

/** In a gateway started by `runClusterPrimary`: tells the primary this process listens. */
export function reportListening(up: GatewayUp): void {
  const message: WorkerMessage = { type: 'listening', ...up };
  process.send?.(message);
}

/**
 * In a gateway started by `runClusterPrimary`, first thing: answers the primary's requests
 * for this process's metrics (prom-client adds the listener in its constructor), with nothing
 * until `clusterMetrics` lends the gateway's registry. A process still starting then holds no
 * scrape up: the primary waits for every process's answer.
 */
export function answerMetricsRequests(): void {
  new AggregatorRegistry();
}

/** How long a process waits for the primary's aggregate before `/metrics` fails. */
const METRICS_WAIT_MS = 10_000;

/**
 * In a gateway started by `runClusterPrimary`: lends `registry` to the primary's aggregate,
 * and returns what `/metrics` serves instead of the registry alone: every process's metrics,
 * collected by the primary and combined as each metric says (prom-client sums by default:
 * requests, errors, pool connections; the replica gauges take the worst, gateway/metrics.ts).
 */
export function clusterMetrics(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  answerMetricsRequests();
  let next = 0;
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on('message', (message: PrimaryMessage) => {
    if (message?.type !== 'metrics') return;
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.text !== undefined) pending?.resolve(message.text);
    else pending?.reject(new Error(message.error ?? 'no metrics from the primary'));
  });
  return () =>
    new Promise((resolve, reject) => {
      next += 1;
      const id = next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`no metrics from the primary within ${METRICS_WAIT_MS} ms`));
      }, METRICS_WAIT_MS);
      waiting.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const request: WorkerMessage = { type: 'metrics', id };
      process.send?.(request);
    });
}

/** Whether this process is a gateway worker of `runClusterPrimary`. */
export const isClusterWorker = (): boolean => cluster.isWorker;
