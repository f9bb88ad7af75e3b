import { readFileSync } from 'node:fs';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses an interval such as `90s`, `15m`, `6h` or `1d` into milliseconds.
 * @example parseDuration('15m') // 900000
 */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`expected a duration such as "15m", "6h" or "1d", got ${JSON.stringify(text)}`);
  const [, amount, unit] = match as unknown as [string, string, keyof typeof UNIT_MS];
  const ms = Number(amount) * UNIT_MS[unit];
  if (ms <= 0) throw new Error(`a duration must be longer than zero, got ${JSON.stringify(text)}`);
  return ms;
}

const duration = z.string().transform((text, context) => {
  try {
    return parseDuration(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const scheduleSchema = z
  .object({
    /** Unique name of the schedule: the BullMQ job scheduler id, and what logs say. */
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'name may hold letters, digits, ".", "_" and "-" only'),
    /** A source name from the registry (`ingest/sources`). */
    source: z.string().min(1),
    /** The source's arguments as on the CLI without the dashes: `{ "q": "iphone", "category-ids": "9355", "incremental": true }`. */
    options: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.literal(true)])).default({}),
    /** Run every interval (`30m`, `6h`)... */
    every: duration.optional(),
    /** ...or on a cron pattern (5 fields, or 6 with seconds first), in `timeZone`. */
    cron: z.string().optional(),
    timeZone: z.string().default('UTC'),
  })
  .superRefine((entry, context) => {
    if ((entry.every === undefined) === (entry.cron === undefined)) {
      context.addIssue({ code: 'custom', message: 'give exactly one of "every" and "cron"' });
    }
    if (entry.cron !== undefined) {
      try {
        CronExpressionParser.parse(entry.cron, { tz: entry.timeZone });
      } catch (error) {
        context.addIssue({
          code: 'custom',
          path: ['cron'],
          message: `not a cron pattern: ${(error as Error).message}`,
        });
      }
    }
  });

const fileSchema = z
  .object({
    schedules: z.array(scheduleSchema),
    /** Attempts per run (the first included) and the first backoff; each retry waits twice as long. */
    retry: z
      .object({ attempts: z.number().int().min(1).max(20), backoff: duration })
      .default({ attempts: 3, backoff: 60_000 }),
    /** At most `max` runs start per `per` across all workers (BullMQ's queue rate limiter). */
    limiter: z.object({ max: z.number().int().min(1), per: duration }).default({ max: 10, per: 60_000 }),
  })
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.schedules.forEach((entry, i) => {
      if (seen.has(entry.name)) {
        context.addIssue({
          code: 'custom',
          path: ['schedules', i, 'name'],
          message: `duplicate schedule name "${entry.name}"`,
        });
      }
      seen.add(entry.name);
    });
  });

/** One recurring ingestion: a source with options on an interval or cron pattern. */
export type Schedule = z.infer<typeof scheduleSchema>;

/** A whole schedules file, with retry and rate-limit settings filled in. */
export type ScheduleConfig = z.infer<typeof fileSchema>;

/** A schedules file that does not parse or validate; the message lists every problem. */
export class InvalidSchedulesError extends Error {
  override name = 'InvalidSchedulesError';
}

/**
 * Validates a schedules document (the parsed JSON of a schedules file).
 * @example parseSchedules({ schedules: [{ name: 'demo', source: 'demo', every: '15m' }] })
 */
export function parseSchedules(document: unknown, origin = 'schedules'): ScheduleConfig {
  const result = fileSchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidSchedulesError(`Invalid ${origin}:\n${problems.join('\n')}`);
  }
  return result.data;
}

/** Reads and validates a schedules JSON file. */
export function loadSchedules(path: string): ScheduleConfig {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidSchedulesError(`Cannot read schedules file ${path}: ${(error as Error).message}`);
  }
  return parseSchedules(document, `schedules file ${path}`);
}

/** When a schedule fires next after `after`. */
export function nextFireTime(schedule: Schedule, after: Date): Date {
  if (schedule.every !== undefined) return new Date(after.getTime() + schedule.every);
  return CronExpressionParser.parse(schedule.cron ?? '', { currentDate: after, tz: schedule.timeZone })
    .next()
    .toDate();
}
