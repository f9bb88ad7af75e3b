import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_LIMITS } from '../limits';
import { DEFAULT_POLICIES, ROLES } from '../policy';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const number = (text: string) => Number(text.replace(/[^0-9]/g, ''));

/** The rows of the Markdown table whose header starts with `| role |`, by role. */
function rolesTable(markdown: string) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| role | cost budget |'));
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    rows.set(cells[0]?.replace(/`/g, '') ?? '', cells);
  }
  return rows;
}

// Operators read these numbers in the docs, not in gateway/policy.ts: they must not drift.
// The table lives in docs/operations.md; the README links to it.
describe.each(['docs/operations.md'])('the roles table in %s', (file) => {
  const table = rolesTable(read(file));

  it.each(ROLES)('states the defaults of %s', (role) => {
    const policy = DEFAULT_POLICIES[role];
    const [, budget, rate, atOnce, deadline] = table.get(role) ?? [];
    expect({
      budget: number(budget ?? ''),
      rate: number(rate ?? ''),
      atOnce: number(atOnce ?? ''),
      deadlineMs: number(deadline ?? '') * 1000,
    }).toEqual({
      budget: policy.costBudget,
      rate: policy.requestsPerMinute,
      atOnce: policy.concurrency,
      deadlineMs: policy.deadlineMs,
    });
  });
});

describe('the static limits in docs/api.md', () => {
  const api = read('docs/api.md');

  it.each(
    Object.entries({
      GRAPHQL_MAX_DOCUMENT_LENGTH: DEFAULT_LIMITS.documentLength,
      GRAPHQL_MAX_TOKENS: DEFAULT_LIMITS.tokens,
      GRAPHQL_MAX_DEPTH: DEFAULT_LIMITS.depth,
      GRAPHQL_MAX_ALIASES: DEFAULT_LIMITS.aliases,
      GRAPHQL_MAX_DIRECTIVES: DEFAULT_LIMITS.directives,
      GRAPHQL_MAX_ROOT_FIELDS: DEFAULT_LIMITS.rootFields,
      GRAPHQL_MAX_BATCH: DEFAULT_LIMITS.batch,
    }),
  )('states the default of %s', (variable, value) => {
    const row = api.split('\n').find((line) => line.includes(`\`${variable}\``));
    expect(number(row?.split('|')[2] ?? '')).toBe(value);
  });
});
