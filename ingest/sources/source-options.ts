import type { z } from 'zod';
import { SourceRequestError } from '../http/errors';

/**
 * Validates a source's options (CLI strings or typed job data); a SOURCE_CONFIG error lists
 * every problem, e.g. `keepa options are invalid: asins: give at least one ASIN`.
 */
export function parseSourceOptions<Schema extends z.ZodType>(source: string, schema: Schema, options: unknown): z.output<Schema> {
  const result = schema.safeParse(options ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
    throw new SourceRequestError('SOURCE_CONFIG', `${source} options are invalid: ${problems}`);
  }
  return result.data;
}
