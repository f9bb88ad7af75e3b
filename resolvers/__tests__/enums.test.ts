import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind } from 'graphql';
import * as types from '../../data/types';
import { loadTypeDefs } from '../../schema';

// Each GraphQL enum the data layer understands, and the list it keeps of its values.
const DATA_ENUMS: Record<string, readonly string[]> = {
  ProductCondition: types.PRODUCT_CONDITIONS,
  ProductStatus: types.PRODUCT_STATUSES,
  SaleGranularity: types.SALE_GRANULARITIES,
  PriceKind: types.PRICE_KINDS,
  CategoryMapping: types.CATEGORY_MAPPINGS,
  ProductMatch: types.PRODUCT_MATCHES,
  IngestRunStatus: types.INGEST_RUN_STATUSES,
  OrderDirection: types.ORDER_DIRECTIONS,
  ProductOrderField: types.PRODUCT_ORDER_FIELDS,
  SaleOrderField: types.SALE_ORDER_FIELDS,
  StatsDimension: types.STATS_DIMENSIONS,
  StatsInterval: types.STATS_INTERVALS,
  StatsSource: types.STATS_SOURCES,
  StatsComparison: types.STATS_COMPARISONS,
  StatsOrderField: types.STATS_ORDER_FIELDS,
};

function sdlEnums(): Map<string, string[]> {
  const enums = new Map<string, string[]>();
  for (const definition of loadTypeDefs().definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(
        definition.name.value,
        (definition.values ?? []).map((value) => value.name.value),
      );
    }
  }
  return enums;
}

describe('GraphQL enums and the data layer', () => {
  const enums = sdlEnums();

  it.each(Object.entries(DATA_ENUMS))('%s has exactly the values the data layer knows', (name, values) => {
    expect([...(enums.get(name) ?? [])].sort()).toEqual([...values].sort());
  });

  it("types each of them in the generated resolver types as the data layer's union", () => {
    const generated = readFileSync(path.join(__dirname, '../__generated__/resolvers-types.ts'), 'utf8');
    const imported = [...generated.matchAll(/^import type \{ (\w+) \} from '\.\.\/\.\.\/data\/types';$/gm)].map(
      (m) => m[1],
    );
    expect(imported.sort()).toEqual(Object.keys(DATA_ENUMS).sort());
  });
});
