import path from 'node:path';
import { InvalidSchedulesError, loadSchedules, nextFireTime, parseDuration, parseSchedules } from '../schedules';

const root = path.join(__dirname, '..', '..', '..');

describe('schedules files', () => {
  it('accepts both committed examples, with retry and limiter filled in', () => {
    const local = loadSchedules(path.join(root, 'ingest/schedules.example.json'));
    expect(local.schedules.map((s) => [s.name, s.source, s.every ?? s.cron])).toEqual([
      ['sample-listings', 'file', 6 * 3_600_000],
      ['sample-sales', 'file', '15 */6 * * *'],
    ]);
    expect(local.retry).toEqual({ attempts: 3, backoff: 60_000 });
    const production = loadSchedules(path.join(root, 'ingest/schedules.production.example.json'));
    expect(production.schedules.map((s) => s.source)).toEqual(['ebay-browse', 'ebay-insights', 'keepa', 'file']);
  });

  it('defaults options, time zone, retries and the limiter', () => {
    const config = parseSchedules({ schedules: [{ name: 'a', source: 'demo', every: '15m' }] });
    expect(config).toEqual({
      schedules: [{ name: 'a', source: 'demo', options: {}, every: 900_000, timeZone: 'UTC' }],
      retry: { attempts: 3, backoff: 60_000 },
      limiter: { max: 10, per: 60_000 },
    });
  });

  it('lists every problem of an invalid file with its path', () => {
    const bad = () =>
      parseSchedules({
        schedules: [
          { name: 'both', source: 'demo', every: '5m', cron: '* * * * *' },
          { name: 'neither', source: 'demo' },
          { name: 'bad cron', source: 'demo', cron: 'every tuesday' },
          { name: 'neither', source: 'demo', every: '5 minutes', options: { q: 3 } },
        ],
      });
    expect(bad).toThrow(InvalidSchedulesError);
    let message = '';
    try {
      bad();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('schedules.0: give exactly one of "every" and "cron"');
    expect(message).toContain('schedules.1: give exactly one of "every" and "cron"');
    expect(message).toContain('schedules.2.name: name may hold letters, digits, ".", "_" and "-" only');
    expect(message).toContain('schedules.2.cron: not a cron pattern');
    expect(message).toContain('schedules.3.every: expected a duration such as "15m", "6h" or "1d", got "5 minutes"');
    expect(message).toContain('schedules.3.options.q');
  });

  it('refuses two schedules with one name', () => {
    const twice = { name: 'same', source: 'demo', every: '5m' };
    expect(() => parseSchedules({ schedules: [twice, twice] })).toThrow(
      'schedules.1.name: duplicate schedule name "same"',
    );
  });

  it('says which file cannot be read', () => {
    expect(() => loadSchedules('/nonexistent/schedules.json')).toThrow(
      /Cannot read schedules file \/nonexistent\/schedules.json/,
    );
  });
});

describe('timing', () => {
  it('parses durations in ms, s, m, h and d', () => {
    expect(['250ms', '90s', '15m', '6h', '1d'].map(parseDuration)).toEqual([
      250, 90_000, 900_000, 21_600_000, 86_400_000,
    ]);
    expect(() => parseDuration('0m')).toThrow('a duration must be longer than zero, got "0m"');
  });

  it('finds the next time of an interval and of a cron pattern in its time zone', () => {
    const [every, cron] = parseSchedules({
      schedules: [
        { name: 'e', source: 'demo', every: '30m' },
        { name: 'c', source: 'demo', cron: '30 3 * * *', timeZone: 'America/New_York' },
      ],
    }).schedules;
    const after = new Date('2026-07-01T12:00:00Z');
    expect(every && nextFireTime(every, after).toISOString()).toBe('2026-07-01T12:30:00.000Z');
    // 03:30 in New York during daylight saving time is 07:30 UTC, the next day.
    expect(cron && nextFireTime(cron, after).toISOString()).toBe('2026-07-02T07:30:00.000Z');
  });
});
