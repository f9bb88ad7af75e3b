import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../../test/support/database';
import { rows } from '../../test/support/rows';
import { type CliDatabase, cliDatabase, runProgram } from '../../test/support/cli';
import { type Database, type Db } from '../client';
import { listMappings, mapCategory, type MappingRow, unmapCategory } from '../taxonomy';

// Two marketplaces whose trees differ as eBay's and Amazon's do: the same roots, other
// wording below them, and a level Amazon has that eBay lacks.
const EBAY = [
  ['e1', null, 'Electronics'],
  ['e2', 'e1', 'Cell Phones & Smartphones'],
  ['e3', 'e2', 'Smartphones'],
  ['e4', 'e1', 'Video Games & Consoles'],
] as const;
const AMAZON = [
  ['a1', null, 'electronics'],
  ['a2', 'a1', 'Cell Phones and Smartphones'],
  ['a3', 'a2', 'Smartphones'],
  ['a4', 'a1', 'Video Games'],
  ['a5', 'a4', 'Consoles'],
] as const;

let database: Database & { url?: string };
let db: Db;

/** Inserts categories as ingestion does (parents first, path set after), one statement per level. */
async function addCategories(
  target: Db,
  marketplace: string,
  nodes: readonly (readonly [string, string | null, string])[],
): Promise<void> {
  for (const level of [0, 1, 2]) {
    const atLevel = nodes.filter(([, parent]) => depthOf(nodes, parent) === level - 1);
    if (atLevel.length === 0) continue;
    await target.execute(sql`
      insert into categories (marketplace_id, external_id, parent_id, name, path, depth)
      select m.id, v.external_id, p.id, v.name, '/', ${level}
      from (values ${sql.join(
        atLevel.map(([id, parent, name]) => sql`(${id}, ${parent}::text, ${name})`),
        sql`, `,
      )}) v(external_id, parent_external_id, name)
      join marketplaces m on m.code = ${marketplace}
      left join categories p on p.marketplace_id = m.id and p.external_id = v.parent_external_id`);
    await target.execute(sql`update categories c set path = coalesce(p.path, '/') || c.id || '/'
      from categories c2 left join categories p on p.id = c2.parent_id where c2.id = c.id and c.path = '/'`);
  }
}

function depthOf(nodes: readonly (readonly [string, string | null, string])[], id: string | null): number {
  if (id === null) return -1;
  const node = nodes.find(([own]) => own === id);
  return node ? depthOf(nodes, node[1]) + 1 : -1;
}

const mappings = () => rows<MappingRow>(db, listMappings());

/** The canonical path each category maps onto, by `marketplace:id`. */
async function canonicalOf(): Promise<Record<string, string | null>> {
  return Object.fromEntries((await mappings()).map((row) => [`${row.marketplace}:${row.externalId}`, row.canonical]));
}

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  await db.execute(sql`insert into marketplaces (code, name, default_currency)
    values ('ebay-us', 'eBay US', 'USD'), ('amazon-us', 'Amazon US', 'USD'), ('ebay-de', 'eBay Germany', 'EUR')`);
  await addCategories(db, 'ebay-us', EBAY);
  await addCategories(db, 'amazon-us', AMAZON);
});
afterAll(() => database.close());

describe('the canonical taxonomy', () => {
  it('maps categories named alike, ignoring case, accents, punctuation and "and", onto one node', async () => {
    expect(await canonicalOf()).toEqual({
      'ebay-us:e1': 'Electronics',
      'amazon-us:a1': 'Electronics',
      'ebay-us:e2': 'Electronics > Cell Phones & Smartphones',
      'amazon-us:a2': 'Electronics > Cell Phones & Smartphones',
      'ebay-us:e3': 'Electronics > Cell Phones & Smartphones > Smartphones',
      'amazon-us:a3': 'Electronics > Cell Phones & Smartphones > Smartphones',
      'ebay-us:e4': 'Electronics > Video Games & Consoles',
      'amazon-us:a4': 'Electronics > Video Games',
      'amazon-us:a5': 'Electronics > Video Games > Consoles',
    });
    const [keys] = await rows<{ same: boolean }>(
      db,
      sql`select soldgraph_category_key('Téléphones, Fax & Zubehör') = soldgraph_category_key('telephones fax and zubehor') as same`,
    );
    expect(keys?.same).toBe(true);
    expect((await mappings()).every((row) => row.mapping === 'AUTO')).toBe(true);
  });

  it('lets an operator map a differing branch by hand, and its sub-categories follow', async () => {
    const mapped = await rows(db, mapCategory('amazon-us', 'a4', ['Electronics', 'Video Games & Consoles']));
    expect(mapped).toHaveLength(1);
    const after = await canonicalOf();
    expect(after['amazon-us:a4']).toBe('Electronics > Video Games & Consoles');
    expect(after['amazon-us:a5']).toBe('Electronics > Video Games & Consoles > Consoles');
    expect((await mappings()).find((row) => row.externalId === 'a4')?.mapping).toBe('MANUAL');
    // The node only Amazon's wording made is gone; nothing maps onto it any more.
    const [orphans] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from canonical_categories where name = 'Video Games'`,
    );
    expect(orphans?.n).toBe(0);
  });

  it('keeps a manual mapping when the marketplace renames the category, and remaps automatic ones', async () => {
    await db.execute(sql`update categories set name = 'Video Games & Accessories' where external_id = 'a4'`);
    await db.execute(sql`update categories set name = 'Mobile Phones' where external_id = 'a2'`);
    const after = await canonicalOf();
    expect(after['amazon-us:a4']).toBe('Electronics > Video Games & Consoles');
    expect(after['amazon-us:a2']).toBe('Electronics > Mobile Phones');
    expect(after['amazon-us:a3']).toBe('Electronics > Mobile Phones > Smartphones');
    expect(after['ebay-us:e3']).toBe('Electronics > Cell Phones & Smartphones > Smartphones');
  });

  it('remaps a category the marketplace moves, with its subtree', async () => {
    // "Mobile Phones" moves to the root, as a marketplace's re-organisation would put it.
    await db.execute(
      sql`update categories set parent_id = null, depth = 0, path = '/' || id || '/' where external_id = 'a2'`,
    );
    await db.execute(sql`update categories c set depth = 1, path = p.path || c.id || '/'
      from categories p where p.external_id = 'a2' and c.external_id = 'a3'`);
    const after = await canonicalOf();
    expect(after['amazon-us:a2']).toBe('Mobile Phones');
    expect(after['amazon-us:a3']).toBe('Mobile Phones > Smartphones');
  });

  it('hands a category back to mapping by name', async () => {
    expect(await rows(db, unmapCategory('amazon-us', 'a4'))).toHaveLength(1);
    expect((await canonicalOf())['amazon-us:a4']).toBe('Electronics > Video Games & Accessories');
    expect(await rows(db, unmapCategory('amazon-us', 'no-such-id'))).toHaveLength(0);
  });

  it('gives every node a path that names its ancestors, and no two siblings one key', async () => {
    const [broken] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from canonical_categories k
          left join canonical_categories p on p.id = k.parent_id
          where k.path <> coalesce(p.path, '/') || k.id || '/' or k.depth <> coalesce(p.depth + 1, 0)`,
    );
    expect(broken?.n).toBe(0);
  });

  const onPostgres = process.env.DATABASE_URL ? it : it.skip;
  onPostgres('makes one node when two writers add the same name at once', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstWrote: () => void = () => undefined;
    const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
    const first = db.transaction(async (tx) => {
      await addCategories(tx as unknown as Db, 'ebay-de', [['d1', null, 'Spielzeug']]);
      firstWrote();
      await held;
    });
    await wrote;
    const second = db.transaction(async (tx) => {
      await addCategories(tx as unknown as Db, 'ebay-us', [['e9', null, 'spielzeug']]);
    });
    // The second writer waits on the first's mapping; let the first commit.
    setTimeout(release, 200);
    await Promise.all([first, second]);
    const after = await canonicalOf();
    expect(after['ebay-de:d1']).toBe('Spielzeug');
    expect(after['ebay-us:e9']).toBe('Spielzeug');
    const [nodes] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from canonical_categories where soldgraph_category_key(name) = 'spielzeug'`,
    );
    expect(nodes?.n).toBe(1);
  });
});

describe('npm run db:taxonomy', () => {
  let target: CliDatabase;
  const fill = async (own: Db) => {
    await own.execute(
      sql`insert into marketplaces (code, name, default_currency) values ('ebay-us', 'eBay US', 'USD'), ('amazon-us', 'Amazon US', 'USD')`,
    );
    await addCategories(own, 'ebay-us', EBAY);
    await addCategories(own, 'amazon-us', AMAZON);
  };
  beforeAll(async () => {
    target = await cliDatabase(database.url, fill);
  });
  afterAll(() => target.close());
  const cli = (args: string[]) => runProgram('db/cli/taxonomy', args, target.env);

  it('maps a category by hand and lists the mapping', async () => {
    const mapped = await cli(['map', 'ebay-us:e4', 'Electronics > Games']);
    // stderr may hold the launcher's "Compiling the server" line when sources changed.
    expect({ code: mapped.code, errors: mapped.stderr.split('\n').filter((line) => /error/i.test(line)) }).toEqual({
      code: 0,
      errors: [],
    });
    const lines = mapped.stdout.trim().split('\n');
    expect(lines[0]).toBe('canonical category\tmapping\tmarketplace\tid\tcategory');
    expect(lines).toContain('Electronics > Games\tMANUAL\tebay-us\te4\tElectronics > Video Games & Consoles');
    expect(lines).toContain('Electronics\tAUTO\tamazon-us\ta1\telectronics');
  });

  it('refuses an unknown category with exit 2', async () => {
    const refused = await cli(['auto', 'amazon-us:nope']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('no category amazon-us:nope');
  });
});
