import { buildSchema, graphql } from 'graphql';
import { yieldDuringLargeAnswers } from '../event-loop-slices';

/** A list field with no resolver of its own: graphql's default resolver calls the root's function. */
const rootValue = {
  items: ({ count }: { count: number }) => Array.from({ length: count }, (_, n) => ({ n, tags: ['a', 'b'] })),
};

function slicedSchema() {
  const schema = buildSchema('type Item { n: Int!, tags: [String!]! } type Query { items(count: Int!): [Item!]! }');
  yieldDuringLargeAnswers<{ large: boolean }>(schema, {
    chunkSize: 100,
    sliceMs: 10,
    appliesTo: (context) => context.large,
  });
  return schema;
}

/** Turns of the event loop that pass while `work` runs: how often others got a chance. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    turns += 1;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { result, turns };
}

describe('large answers and the event loop', () => {
  it('completes a long list a chunk per turn of the event loop, with the same answer', async () => {
    const schema = slicedSchema();
    const { result, turns } = await turnsDuring(() =>
      graphql({ schema, rootValue, contextValue: { large: true }, source: '{ items(count: 1000) { n tags } }' }),
    );
    expect(result.errors).toBeUndefined();
    const items = (result.data as { items: { n: number; tags: string[] }[] }).items;
    expect(items).toHaveLength(1000);
    expect(items.map((item) => item.n)).toEqual(Array.from({ length: 1000 }, (_, n) => n));
    expect(items[999]?.tags).toEqual(['a', 'b']);
    // 1,000 items in chunks of 100: ten turns at least.
    expect(turns).toBeGreaterThanOrEqual(10);
  });

  it('leaves a short list on a fresh slice alone', async () => {
    const schema = slicedSchema();
    await new Promise((resolve) => setImmediate(resolve));
    const { result, turns } = await turnsDuring(() =>
      graphql({ schema, rootValue, contextValue: { large: true }, source: '{ items(count: 5) { n } }' }),
    );
    expect((result.data as { items: unknown[] }).items).toHaveLength(5);
    expect(turns).toBeLessThanOrEqual(1);
  });

  it('leaves requests it does not apply to alone, however long their lists', async () => {
    const schema = slicedSchema();
    const { result, turns } = await turnsDuring(() =>
      graphql({ schema, rootValue, contextValue: { large: false }, source: '{ items(count: 1000) { n } }' }),
    );
    expect((result.data as { items: unknown[] }).items).toHaveLength(1000);
    expect(turns).toBeLessThanOrEqual(1);
  });
});
