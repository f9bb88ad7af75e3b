/**
 * Polls `probe` until `done` holds and returns that value: tests wait on conditions, never on
 * a clock (jest's timeout bounds a wait that never ends).
 * @example const body = await until(health, (b) => b.status === 'ok');
 */
export async function until<T>(probe: () => T | Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
