/** A row the catalog must hold: it is read whole, so a missing parent or marketplace means broken reference data. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`catalog is missing ${what}`);
  return value;
}
