import { createAdmission } from '../admission';

/** Whether a promise has settled, without waiting for it. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, new Promise((resolve) => setImmediate(() => resolve(marker)))])) !== marker;
}

describe('admission by cost', () => {
  it('never holds back an operation within the dashboard budget', async () => {
    const admission = createAdmission({ capacity: 10_000, queueAbove: 5_000 });
    const heavy = await admission.admit('key:1', 10_000);
    expect(await settled(admission.admit('ip:dashboard', 5_000))).toBe(true);
    heavy();
  });

  it('holds dearer operations while the cost in flight would pass the capacity, then lets them in', async () => {
    const admission = createAdmission({ capacity: 25_000, queueAbove: 5_000 });
    const first = await admission.admit('key:1', 20_000);
    const second = admission.admit('key:2', 20_000);
    expect(await settled(second)).toBe(false);
    expect(admission.usage()).toEqual({ inFlight: 20_000, waiting: 1, capacity: 25_000 });
    first();
    (await second)();
    expect(admission.usage()).toEqual({ inFlight: 0, waiting: 0, capacity: 25_000 });
  });

  it('runs an operation dearer than the whole capacity alone', async () => {
    const admission = createAdmission({ capacity: 25_000, queueAbove: 5_000 });
    const huge = await admission.admit('key:1', 90_000);
    expect(admission.usage().inFlight).toBe(25_000);
    expect(await settled(admission.admit('key:2', 6_000))).toBe(false);
    huge();
  });

  it('takes waiting callers in turn, so one key with many operations cannot go first every time', async () => {
    const admission = createAdmission({ capacity: 10_000, queueAbove: 1_000 });
    const order: string[] = [];
    const run = async (principal: string, label: string) => {
      const release = await admission.admit(principal, 10_000);
      order.push(label);
      release();
    };
    const blocker = await admission.admit('key:0', 10_000);
    const all = [run('key:a', 'a1'), run('key:a', 'a2'), run('key:a', 'a3'), run('key:b', 'b1')];
    blocker();
    await Promise.all(all);
    expect(order).toEqual(['a1', 'b1', 'a2', 'a3']);
  });

  it('lets a waiting operation go when its request stops, with the reason, and keeps the line moving', async () => {
    const admission = createAdmission({ capacity: 10_000, queueAbove: 1_000 });
    const blocker = await admission.admit('key:0', 10_000);
    const controller = new AbortController();
    const stopped = admission.admit('key:a', 10_000, controller.signal);
    const next = admission.admit('key:b', 10_000);
    controller.abort(new Error('deadline'));
    await expect(stopped).rejects.toThrow('deadline');
    expect(admission.usage().waiting).toBe(1);
    blocker();
    (await next)();
    expect(admission.usage()).toMatchObject({ inFlight: 0, waiting: 0 });
  });
});
