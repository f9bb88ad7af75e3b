import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const depcruise = path.join(root, 'node_modules', '.bin', 'depcruise');
const config = path.join(root, '.dependency-cruiser.cjs');

type Violation = { rule: { name: string }; from: string; to: string };

/** Runs dependency-cruiser with the project's rules over `folders` of `cwd`; returns its violations. */
function cruise(cwd: string, folders: string[]): { status: number | null; violations: Violation[] } {
  const run = spawnSync(depcruise, [...folders, '--config', config, '--output-type', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!run.stdout) throw new Error(`depcruise printed nothing: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
  return { status: run.status, violations: report.summary.violations };
}

describe('the floors of the house', () => {
  it('holds for the real tree: no cycle, no upward import', () => {
    const { status, violations } = cruise(root, ['gateway', 'resolvers', 'ingest', 'data', 'db', 'lib', 'schema']);
    expect(violations).toEqual([]);
    expect(status).toBe(0);
  });

  describe('on a scratch tree with one offence per rule', () => {
    let scratch: string;
    let violations: Violation[];

    beforeAll(() => {
      scratch = mkdtempSync(path.join(tmpdir(), 'soldgraph-floors-'));
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node' } }),
        'gateway/server.ts': "import { createLoaders } from '../data/loaders';\nexport const server = createLoaders;\n",
        'resolvers/__generated__/resolvers-types.ts': 'export type Resolvers = { x: 1 };\n',
        'resolvers/Product.ts': "import { Sale } from './Sale';\nexport const Product = Sale;\n",
        'resolvers/Sale.ts': "import { openDatabase } from '../db/client';\nexport const Sale = openDatabase;\n",
        'ingest/run.ts': "import { Product } from '../resolvers/Product';\nexport const run = Product;\n",
        'data/loaders.ts': 'export const createLoaders = 1;\n',
        'data/stats.ts':
          "import type { Resolvers } from '../resolvers/__generated__/resolvers-types';\nexport type Stats = Resolvers;\n",
        'db/client.ts': "import { server } from '../gateway/server';\nexport const openDatabase = server;\n",
        'lib/money.ts': "import type { Cursor } from './cursor';\nexport type Money = Cursor | 1;\n",
        'lib/cursor.ts': "import type { Money } from './money';\nexport type Cursor = Money | 2;\n",
        'lib/env.ts': "import { run } from '../ingest/run';\nexport const env = run;\n",
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
        writeFileSync(path.join(scratch, file), text);
      }
      violations = cruise(scratch, ['gateway', 'resolvers', 'ingest', 'data', 'db', 'lib']).violations;
    });

    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it.each([
      ['db-stands-on-lib', 'db/client.ts', 'gateway/server.ts'],
      ['lib-is-the-ground-floor', 'lib/env.ts', 'ingest/run.ts'],
      ['ingest-stands-on-data', 'ingest/run.ts', 'resolvers/Product.ts'],
      ['data-stands-on-db', 'data/stats.ts', 'resolvers/__generated__/resolvers-types.ts'],
      ['generated-api-types-stay-in-resolvers', 'data/stats.ts', 'resolvers/__generated__/resolvers-types.ts'],
      ['no-resolver-imports-another', 'resolvers/Product.ts', 'resolvers/Sale.ts'],
      ['resolvers-reach-storage-through-the-data-client', 'resolvers/Sale.ts', 'db/client.ts'],
      ['loaders-stay-inside-the-data-client', 'gateway/server.ts', 'data/loaders.ts'],
      ['nothing-imports-the-gateway', 'db/client.ts', 'gateway/server.ts'],
    ])('refuses with %s: %s imports %s', (rule, from, to) => {
      expect(violations).toContainEqual(
        expect.objectContaining({ rule: expect.objectContaining({ name: rule }), from, to }),
      );
    });

    it('refuses a cycle made of type-only imports', () => {
      const cycles = violations.filter((violation) => violation.rule.name === 'no-circular');
      expect(cycles.map((cycle) => [cycle.from, cycle.to].sort())).toContainEqual(['lib/cursor.ts', 'lib/money.ts']);
    });
  });
});
