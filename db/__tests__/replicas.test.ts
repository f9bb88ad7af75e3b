import { createReplicaSet, type ReplayPosition, walBytes } from '../replicas';

// The real standby is tested in gateway/__tests__/read-replicas.test.ts (PostgreSQL only); these
// cover what one standby cannot show: several replicas, and lag measured against the primary's past.

describe('WAL positions', () => {
  it('reads PostgreSQL LSNs as bytes', () => {
    expect(walBytes('0/3000148')).toBe(0x3000148);
    expect(walBytes('16/B374D848')).toBe(0x16 * 2 ** 32 + 0xb374d848);
    expect(() => walBytes('nonsense')).toThrow('not a WAL position: nonsense');
  });
});

describe('a set of replicas', () => {
  let clock = 1_000_000;
  let primary = '0/100';
  const replays: Record<string, ReplayPosition | Error> = {};
  const endpoint = (name: string) => ({
    name,
    handle: name,
    replayPosition: async () => {
      const position = replays[name];
      if (!position || position instanceof Error) throw position ?? new Error('unset');
      return position;
    },
  });
  const at = (lsn: string): ReplayPosition => ({ inRecovery: true, replayLsn: lsn, paused: false });
  const set = createReplicaSet(['replica-1', 'replica-2'].map(endpoint), {
    primaryPosition: async () => primary,
    maxLagSeconds: 5,
    probeIntervalMs: 60_000,
    now: () => clock,
  });
  afterAll(() => set.close());

  it('takes turns between replicas that are caught up', async () => {
    replays['replica-1'] = at('0/100');
    replays['replica-2'] = at('0/100');
    await set.probe();
    const picks = [set.pick(), set.pick(), set.pick()].map((choice) => choice.name);
    expect(picks).toEqual(['replica-1', 'replica-2', 'replica-1']);
    expect(set.pick()).toMatchObject({ lagSeconds: 0, lagBytes: 0, consistentAt: clock });
  });

  it('measures lag from the last primary position a replica had replayed', async () => {
    const caughtUpAt = clock;
    clock += 3_000;
    primary = '0/200';
    replays['replica-1'] = at('0/100'); // stuck at the position of 3 s ago
    replays['replica-2'] = at('0/200');
    const [stuck, current] = await set.probe();
    expect(stuck).toMatchObject({ status: 'up', lagSeconds: 3, lagBytes: 0x100, consistentAt: caughtUpAt });
    expect(current).toMatchObject({ status: 'up', lagSeconds: 0, lagBytes: 0, consistentAt: clock });
  });

  it('skips a replica beyond the bound or down, and says why when none can serve', async () => {
    clock += 3_000;
    primary = '0/300';
    replays['replica-2'] = new Error('connect ECONNREFUSED 127.0.0.1:5433');
    const [lagging, down] = await set.probe();
    expect(lagging).toMatchObject({ status: 'lagging', lagSeconds: 6 });
    expect(down).toMatchObject({ status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:5433' });
    expect(set.pick()).toEqual({
      fallback:
        'no replica can serve (replica-1: more than 5 s behind the primary; replica-2: connect ECONNREFUSED 127.0.0.1:5433)',
    });
  });

  it('refuses a server that is not a standby, and a replica a statement found down', async () => {
    replays['replica-1'] = { inRecovery: false, replayLsn: null, paused: null };
    replays['replica-2'] = at('0/300');
    const [promoted] = await set.probe();
    expect(promoted).toMatchObject({ status: 'down', error: expect.stringMatching(/^not a standby/) });
    expect(set.pick().name).toBe('replica-2');
    set.markDown('replica-2', new Error('Connection terminated unexpectedly'));
    expect(set.pick()).toMatchObject({
      fallback: expect.stringContaining('replica-2: Connection terminated unexpectedly'),
    });
  });
});
