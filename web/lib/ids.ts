// Products and ingestion runs have positive 32-bit integer ids (PostgreSQL `integer`).
const INTEGER_ID = /^[1-9]\d{0,9}$/;
const MAX_ID = 2 ** 31 - 1;

/**
 * Whether a URL segment can name a product or a run. Anything else names nothing: a 404
 * without asking the API, which would refuse it as BAD_USER_INPUT.
 * @example isIntegerId('42') // true; isIntegerId('abc') and isIntegerId('99999999999') // false
 */
export function isIntegerId(id: string): boolean {
  return INTEGER_ID.test(id) && Number(id) <= MAX_ID;
}
