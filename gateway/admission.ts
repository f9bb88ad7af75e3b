/** An operation waiting for room: what it weighs and how to let it in. */
type Waiter = { weight: number; admit: () => void };

/**
 * Admission by cost, shared by every caller: expensive operations (estimated above
 * `queueAbove`) run only while the estimated cost of those in flight stays within `capacity`;
 * the others wait, taken in turn from each caller (round robin), so many keys together cannot
 * fill the gateway's CPU with large answers. Operations within `queueAbove` (every dashboard
 * operation) never wait. The per-key bulkhead bounds SQL; this bounds the work around it.
 * @example
 *   const admission = createAdmission({ capacity: 50_000, queueAbove: 5_000 });
 *   const release = await admission.admit('key:3', 30_010, signal);
 *   try { await execute(); } finally { release(); }
 */
export function createAdmission(options: { capacity: number; queueAbove: number }) {
  const queues = new Map<string, Waiter[]>();
  let inFlight = 0;

  /** Lets waiting operations in, one caller at a time, while the next in turn fits. */
  function dispatch() {
    for (const [principal, waiting] of queues) {
      const next = waiting[0];
      if (!next || (inFlight > 0 && inFlight + next.weight > options.capacity)) return;
      waiting.shift();
      // The caller goes to the back of the rotation (Map order is insertion order).
      queues.delete(principal);
      if (waiting.length > 0) queues.set(principal, waiting);
      inFlight += next.weight;
      next.admit();
    }
  }

  return {
    /** Resolves once the operation may run, with the function that gives its room back. */
    async admit(principal: string, estimatedCost: number, signal?: AbortSignal): Promise<() => void> {
      if (estimatedCost <= options.queueAbove) return () => undefined;
      const weight = Math.min(estimatedCost, options.capacity);
      if (queues.size === 0 && inFlight + weight <= options.capacity) {
        inFlight += weight;
      } else {
        signal?.throwIfAborted();
        await new Promise<void>((resolve, reject) => {
          const waiter: Waiter = {
            weight,
            admit: () => {
              signal?.removeEventListener('abort', leave);
              resolve();
            },
          };
          const leave = () => {
            const waiting = queues.get(principal) ?? [];
            waiting.splice(waiting.indexOf(waiter), 1);
            if (waiting.length === 0) queues.delete(principal);
            dispatch();
            reject(signal?.reason);
          };
          const queue = queues.get(principal);
          if (queue) queue.push(waiter);
          else queues.set(principal, [waiter]);
          signal?.addEventListener('abort', leave, { once: true });
          dispatch();
        });
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight -= weight;
        dispatch();
      };
    },
    /** Estimated cost running now, and operations waiting for room. */
    usage() {
      let waiting = 0;
      for (const queue of queues.values()) waiting += queue.length;
      return { inFlight, waiting, capacity: options.capacity };
    },
  };
}

export type Admission = ReturnType<typeof createAdmission>;
