import type { Logger } from 'pino';
import { createEntityCache } from '../lib/cache';
import { onPurge } from '../lib/cache-tags';
import { evaluateAlert } from './alert-rules';
import type { CoreClient } from './core-client';
import type { WatchlistsDb } from './db/client';
import { alertsAfter, type EvaluatedAlert, followedRuns, recordEvaluation, saveEvaluatedAlerts } from './store';

/** Alerts read, priced and written per step of a pass. */
const PAGE = 500;

/** One pass of the rules over every alert. */
export type EvaluationSummary = { runId: number; alerts: number; triggered: number };

/**
 * Runs the alert rules over every alert once, if an ingestion run landed in the core that no
 * pass has followed yet; returns what the pass did, or undefined when there was nothing new.
 * Prices come from the core's `_entities`, a page of alerts at a time.
 */
export async function evaluateIfRunsLanded(
  db: WatchlistsDb,
  core: CoreClient,
  now = () => new Date(),
): Promise<EvaluationSummary | undefined> {
  const landed = await core.landedRuns();
  const followed = await followedRuns(
    db,
    landed.map((run) => run.id),
  );
  const unseenRuns = landed.filter((run) => !followed.has(run.id));
  if (unseenRuns.length === 0) return undefined;
  const unseen = unseenRuns.map((run) => run.id);
  const runId = Math.max(...unseen);
  // Prices must show what those runs wrote: a replica behind them is refused, and asked again.
  const landedAt = new Date(Math.max(...unseenRuns.map((run) => run.finishedAt.getTime())));
  const evaluatedAt = now();
  let alerts = 0;
  let triggered = 0;
  for (let afterId = 0; ;) {
    const page = await alertsAfter(db, afterId, PAGE);
    if (page.length === 0) break;
    afterId = page[page.length - 1]?.id ?? afterId;
    const prices = await core.productPrices([...new Set(page.map((alert) => alert.productId))], landedAt);
    const evaluated: EvaluatedAlert[] = page.map((alert) => {
      const outcome = evaluateAlert(alert, prices.get(alert.productId) ?? null, evaluatedAt);
      if (outcome.fired) triggered += 1;
      return { id: alert.id, ...outcome };
    });
    await saveEvaluatedAlerts(db, evaluated, evaluatedAt, runId);
    alerts += page.length;
  }
  await recordEvaluation(db, unseen, evaluatedAt, { alerts, triggered });
  return { runId, alerts, triggered };
}

/** The background evaluator: `stop()` ends its polling and its Redis subscription. */
export type AlertEvaluator = { stop(): Promise<void> };

/**
 * Evaluates the alerts after each ingestion run that lands. It polls the core's `ingestRuns`
 * every `pollMs` (works with no Redis at all), and when `redisUrl` is set it also listens to the
 * cache purges ingestion announces there, checking at once instead of at the next poll. The
 * purge only wakes it: what landed is always read from the core, so a missed or foreign purge
 * costs nothing but a poll. Checks never overlap; one asked for during a check runs after it.
 */
export function startAlertEvaluator(options: {
  db: WatchlistsDb;
  core: CoreClient;
  pollMs: number;
  redisUrl?: string;
  logger: Logger;
}): AlertEvaluator {
  const { db, core, logger } = options;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  // A core that is down fails every poll the same way: say so once, and again when it changes.
  let lastFailure: string | undefined;

  const check = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const summary = await evaluateIfRunsLanded(db, core);
          lastFailure = undefined;
          if (summary) logger.info(summary, 'evaluated price alerts after an ingestion run');
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          if (reason !== lastFailure)
            logger.warn({ reason }, 'price alerts not evaluated; will retry at the next poll');
          lastFailure = reason;
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => void check(), options.pollMs);
  void check();
  const cache =
    options.redisUrl &&
    createEntityCache({
      redisUrl: options.redisUrl,
      timeoutMs: 1_000,
      defaultTtlMs: 60_000,
      onError: (error) => logger.warn({ err: error }, 'Redis unavailable; alerts follow runs by polling only'),
    });
  const unsubscribe = cache ? onPurge(cache, () => void check()) : undefined;
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe?.();
      await running;
      if (cache) await cache.close();
    },
  };
}
