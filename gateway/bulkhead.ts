type Compartment = { active: number; waiting: (() => void)[] };

/**
 * A bulkhead per caller: at most `limit` of its SQL statements run at once, so one key cannot
 * take the whole connection pool while others wait; its further statements queue behind its
 * own, and leave the queue when their request is stopped.
 * @example
 *   const release = await bulkhead.admit('key:3', 2, signal);
 *   try { await runStatement(); } finally { release(); }
 */
export function createBulkhead() {
  const compartments = new Map<string, Compartment>();

  function release(principal: string, compartment: Compartment) {
    const next = compartment.waiting.shift();
    if (next) next();
    else {
      compartment.active -= 1;
      if (compartment.active === 0) compartments.delete(principal);
    }
  }

  return {
    async admit(principal: string, limit: number, signal?: AbortSignal): Promise<() => void> {
      let compartment = compartments.get(principal);
      if (!compartment) {
        compartment = { active: 0, waiting: [] };
        compartments.set(principal, compartment);
      }
      const own = compartment;
      if (own.active < limit) {
        own.active += 1;
      } else {
        // The slot passes from the statement that finishes to the one that waited longest.
        await new Promise<void>((resolve, reject) => {
          const turn = () => {
            signal?.removeEventListener('abort', leave);
            resolve();
          };
          const leave = () => {
            own.waiting.splice(own.waiting.indexOf(turn), 1);
            reject(signal?.reason);
          };
          own.waiting.push(turn);
          signal?.addEventListener('abort', leave, { once: true });
        });
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release(principal, own);
      };
    },
    /** Statements waiting for a slot, over every caller: how much the bulkheads hold back. */
    waiting(): number {
      let total = 0;
      for (const compartment of compartments.values()) total += compartment.waiting.length;
      return total;
    },
  };
}

export type Bulkhead = ReturnType<typeof createBulkhead>;
