import { parseEnv } from '../../../lib/env';
import type { Db } from '../../../db/client';
import { sourceEntry } from '../../pipeline/entry';
import type { Source } from '../../types';
import { createIngestJobs } from '../jobs';

/**
 * A tiny in-test source that yields one payload per run and records how it was called: how
 * many runs fetched, how many ran at once. It can fail its first runs and hold runs at a gate
 * until the test releases them (or the run is aborted).
 */
export function createTestSource(name = 'test-source', behaviour: { failFirst?: number; gated?: boolean } = {}) {
  const state = {
    calls: 0,
    active: 0,
    maxActive: 0,
    failuresLeft: behaviour.failFirst ?? 0,
    gated: behaviour.gated ?? false,
  };
  const waiting: (() => void)[] = [];
  const source: Source<Record<string, unknown>> = {
    name,
    scope: (options) => String(options.scope ?? 'all'),
    async *fetch(_options, context) {
      state.calls += 1;
      state.active += 1;
      state.maxActive = Math.max(state.maxActive, state.active);
      try {
        if (state.failuresLeft > 0) {
          state.failuresLeft -= 1;
          throw new Error('the fake API is down');
        }
        if (state.gated) {
          await new Promise<void>((resolve) => {
            waiting.push(resolve);
            context.signal.addEventListener('abort', () => resolve(), { once: true });
          });
        }
        yield {
          endpoint: '/fake/items',
          request: { call: state.calls },
          status: 200,
          body: JSON.stringify({ call: state.calls }),
        };
      } finally {
        state.active -= 1;
      }
    },
    parse: () => ({ records: [], rejects: [] }),
  };
  return {
    source,
    state,
    /** Lets every held run go on, and stops holding new ones. */
    release() {
      state.gated = false;
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

/** Polls `condition` every 10 ms; fails with `what` if it does not hold within `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Jobs over a registry holding only `source`, through the same registry entry the real sources use. */
export function jobsFor(db: Db, source: Source<Record<string, unknown>>) {
  const sources = { [source.name]: sourceEntry({ usage: source.name, create: () => source, options: (args) => args }) };
  return createIngestJobs({ sources, env: parseEnv({}), db });
}
