/**
 * Read replicas: how far behind the primary each one is, and which one a request may read from.
 * The measure is a point in time rather than a byte count alone: a replica is *consistent as of*
 * T when it has replayed every WAL position the primary had reached at T, so it holds every
 * transaction committed before T. Lag in seconds is how long ago that was; after a purge of the
 * response cache at P, an answer read from a replica reflects the purged change only if T > P
 * (gateway/response-cache.ts).
 */

/** Where a standby's replay stands, as it reports it. */
export type ReplayPosition = {
  /** False on a server that is not a standby (a primary, or a promoted standby). */
  inRecovery: boolean;
  /** `pg_last_wal_replay_lsn()`, e.g. `0/3000148`; null when not in recovery. */
  replayLsn: string | null;
  /** Whether replay is paused (`pg_wal_replay_pause()`); null when not in recovery. */
  paused: boolean | null;
};

/** One replica as the set sees it: a name, what to read through, and how to ask its position. */
export type ReplicaEndpoint<Handle> = {
  name: string;
  handle: Handle;
  /** Rejects when the replica cannot be reached in time. */
  replayPosition(): Promise<ReplayPosition>;
};

/** What the last probe found about one replica (for /health, metrics and routing). */
export type ReplicaHealth = {
  name: string;
  /** `up`: within the lag bound; `lagging`: further behind, or its lag is unknown; `down`: unreachable or not a standby. */
  status: 'up' | 'lagging' | 'down';
  /** How long ago the newest primary state it holds was; a lower bound when older than every sample kept. */
  lagSeconds: number | null;
  /** WAL bytes the primary has written that it has not replayed. */
  lagBytes: number | null;
  replayPaused: boolean | null;
  /** Every transaction committed on the primary before this time (ms since the epoch) is on the replica. */
  consistentAt: number | null;
  /** When it was last probed (ms since the epoch); null before the first probe. */
  checkedAt: number | null;
  error?: string;
};

/** Where one request reads: a replica fit to serve, or why none is. */
export type ReplicaChoice<Handle> =
  | { name: string; handle: Handle; lagSeconds: number; lagBytes: number; consistentAt: number }
  | { name?: undefined; fallback: string };

export type ReplicaSetOptions = {
  /** `pg_current_wal_lsn()` of the primary; rejects when it cannot be reached in time. */
  primaryPosition(): Promise<string>;
  /** A replica further behind than this is not read from. */
  maxLagSeconds: number;
  /** How often every replica is probed in the background. */
  probeIntervalMs: number;
  /** Called when a replica's status changes, to report it (a log line). */
  onChange?: (health: ReplicaHealth, previous: ReplicaHealth) => void;
  now?: () => number;
};

/**
 * A WAL position as PostgreSQL prints it (`16/B374D848`) in bytes from the start of the WAL.
 * Exact as a number up to 8 PB of WAL.
 * @example walBytes('1/0') // 4294967296
 */
export function walBytes(lsn: string): number {
  const match = /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(lsn);
  if (!match) throw new Error(`not a WAL position: ${lsn}`);
  return parseInt(match[1] as string, 16) * 2 ** 32 + parseInt(match[2] as string, 16);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A replica that cannot be read from, with nothing known of its lag. */
const down = (name: string, error: string, checkedAt: number | null): ReplicaHealth => ({
  name,
  status: 'down',
  lagSeconds: null,
  lagBytes: null,
  replayPaused: null,
  consistentAt: null,
  checkedAt,
  error,
});

/**
 * Watches replicas (a probe every `probeIntervalMs`, and on demand for /health) and picks one
 * per request, round robin over those fit to serve: reachable, replaying, within
 * `maxLagSeconds`, and probed recently. Every probe first reads the primary's WAL position, then
 * each replica's replay position, so a replica that has replayed a position the primary had at
 * time T holds everything committed before T.
 * @example
 *   const replicas = createReplicaSet(endpoints, { primaryPosition, maxLagSeconds: 10, probeIntervalMs: 1000 });
 *   const choice = replicas.pick(); // { name: 'replica-1', handle, lagSeconds: 0, ... } or { fallback: '...' }
 */
export function createReplicaSet<Handle>(endpoints: ReplicaEndpoint<Handle>[], options: ReplicaSetOptions) {
  const now = options.now ?? Date.now;
  const maxLagMs = options.maxLagSeconds * 1000;
  // A probe that has not come back for this long (a hanging connection) is no proof of anything.
  const trustedForMs = 3 * options.probeIntervalMs + 2_000;
  // Primary positions over a window longer than any lag a replica may serve with.
  const keptForMs = Math.max(60_000, 2 * maxLagMs);
  const samples: { at: number; lsn: number }[] = [];
  const health = endpoints.map((endpoint) => down(endpoint.name, 'not probed yet', null));
  let cursor = 0;
  let probing: Promise<ReplicaHealth[]> | undefined;

  function update(index: number, next: ReplicaHealth): void {
    const previous = health[index] as ReplicaHealth;
    health[index] = next;
    if (previous.status !== next.status) options.onChange?.(next, previous);
  }

  /** What a replica's replay position says against the primary positions sampled so far. */
  function assess(name: string, position: ReplayPosition, checkedAt: number): ReplicaHealth {
    const base = { name, replayPaused: position.paused, checkedAt };
    if (!position.inRecovery || position.replayLsn === null) {
      const error = 'not a standby (pg_is_in_recovery() is false): it does not follow the primary';
      return { ...base, status: 'down', lagSeconds: null, lagBytes: null, consistentAt: null, error };
    }
    const replayed = walBytes(position.replayLsn);
    const latest = samples.at(-1);
    const oldest = samples[0];
    if (!latest || !oldest) {
      const error = 'the primary could not be reached to measure the lag';
      return { ...base, status: 'lagging', lagSeconds: null, lagBytes: null, consistentAt: null, error };
    }
    const consistent = samples.findLast((sample) => sample.lsn <= replayed);
    const lagBytes = Math.max(0, latest.lsn - replayed);
    const lagMs = consistent ? latest.at - consistent.at : checkedAt - oldest.at;
    const error = !consistent
      ? 'behind every primary position sampled so far: its lag is at least lagSeconds'
      : lagMs > maxLagMs
        ? `more than ${options.maxLagSeconds} s behind the primary`
        : undefined;
    return {
      ...base,
      status: error ? 'lagging' : 'up',
      lagSeconds: Math.round(lagMs / 100) / 10,
      lagBytes,
      consistentAt: consistent?.at ?? null,
      ...(error ? { error } : {}),
    };
  }

  async function probeAll(): Promise<ReplicaHealth[]> {
    const at = now();
    try {
      samples.push({ at, lsn: walBytes(await options.primaryPosition()) });
      while (samples.length > 1 && (samples[0] as { at: number }).at < at - keptForMs) samples.shift();
    } catch {
      // Replicas are still probed: their reachability does not depend on the primary's.
    }
    await Promise.all(
      endpoints.map(async (endpoint, index) => {
        try {
          const position = await endpoint.replayPosition();
          update(index, assess(endpoint.name, position, now()));
        } catch (error) {
          update(index, down(endpoint.name, message(error), now()));
        }
      }),
    );
    return health.map((entry) => ({ ...entry }));
  }

  const timer = setInterval(() => void probe(), options.probeIntervalMs);
  timer.unref();

  /** Probes every replica now (joining a probe already running); never rejects. */
  function probe(): Promise<ReplicaHealth[]> {
    probing ??= probeAll().finally(() => {
      probing = undefined;
    });
    return probing;
  }

  return {
    names: endpoints.map((endpoint) => endpoint.name),
    maxLagSeconds: options.maxLagSeconds,
    probe,
    /** What the last probe found, without probing. */
    health: (): ReplicaHealth[] => health.map((entry) => ({ ...entry })),

    /** The next replica fit to serve, round robin, or why none is. */
    pick(): ReplicaChoice<Handle> {
      const at = now();
      for (let step = 0; step < endpoints.length; step += 1) {
        const index = (cursor + step) % endpoints.length;
        const entry = health[index] as ReplicaHealth;
        if (entry.status !== 'up' || entry.consistentAt === null || at - (entry.checkedAt ?? 0) > trustedForMs) {
          continue;
        }
        cursor = index + 1;
        return {
          name: entry.name,
          handle: (endpoints[index] as ReplicaEndpoint<Handle>).handle,
          lagSeconds: entry.lagSeconds ?? 0,
          lagBytes: entry.lagBytes ?? 0,
          consistentAt: entry.consistentAt,
        };
      }
      const why = health.map((entry) =>
        entry.status === 'up'
          ? `${entry.name} was not probed recently`
          : `${entry.name}: ${entry.error ?? entry.status}`,
      );
      return { fallback: `no replica can serve (${why.join('; ')})` };
    },

    /**
     * Takes a replica out of rotation at once after a statement on it failed to connect, until a
     * probe finds it back, rather than waiting for the next probe.
     */
    markDown(name: string, error: unknown): void {
      const index = health.findIndex((entry) => entry.name === name);
      if (index < 0) return;
      const entry = health[index] as ReplicaHealth;
      update(index, { ...entry, status: 'down', consistentAt: null, checkedAt: now(), error: message(error) });
    },

    /** Stops the background probes, after the one running (if any). */
    async close(): Promise<void> {
      clearInterval(timer);
      await probing;
    },
  };
}

/** Read replicas being watched, with the handle each one is read through. */
export type ReplicaSet<Handle> = ReturnType<typeof createReplicaSet<Handle>>;
