/** What Next passes a page as `searchParams`, once awaited. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a search parameter, or undefined. */
export function firstParam(params: SearchParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a repeated search parameter (`?brand=a&brand=b`). */
export function allParams(params: SearchParams, name: string): string[] {
  const value = params[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
