import type { z } from 'zod';
import { SourceRequestError } from '../http/errors';
import { listArg, refuseUnknownArgs, type SourceArgs, SourceArgumentError, stringArg } from '../pipeline/entry';

/**
 * Validates a source's options (CLI strings or typed job data); a SOURCE_CONFIG error lists
 * every problem, e.g. `keepa options are invalid: asins: give at least one ASIN`.
 */
export function parseSourceOptions<Schema extends z.ZodType>(
  source: string,
  schema: Schema,
  options: unknown,
): z.output<Schema> {
  const result = schema.safeParse(options ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
    throw new SourceRequestError('SOURCE_CONFIG', `${source} options are invalid: ${problems}`);
  }
  return result.data;
}

type ArgKind = 'string' | 'list' | 'flag';

/**
 * Reads `--kebab-case` CLI/job arguments into camelCase option fields by kind, leaving
 * validation to the source's schema: `{ categoryIds: 'string', filter: 'list', details: 'flag' }`.
 * Refuses arguments outside `spec` (a SourceArgumentError naming the known ones).
 * @example argsToOptions({ 'category-ids': '9355', details: true }, { categoryIds: 'string', details: 'flag' })
 */
export function argsToOptions(args: SourceArgs, spec: Record<string, ArgKind>): Record<string, unknown> {
  const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  refuseUnknownArgs(args, Object.keys(spec).map(kebab));
  const options: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(spec)) {
    const name = kebab(field);
    if (args[name] === undefined) continue;
    if (kind === 'list')
      options[field] = listArg(args, name)
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
    else if (kind === 'flag') options[field] = args[name] === true ? true : stringArg(args, name);
    else options[field] = stringArg(args, name);
  }
  return options;
}

/** Validates options for the CLI: problems become a SourceArgumentError (printed with the usage, exit 2). */
export function cliOptions<Schema extends z.ZodType>(
  source: string,
  schema: Schema,
  options: unknown,
): z.output<Schema> {
  try {
    return parseSourceOptions(source, schema, options);
  } catch (error) {
    if (error instanceof SourceRequestError) throw new SourceArgumentError(error.message);
    throw error;
  }
}
