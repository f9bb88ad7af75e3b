import type { ProductPrice } from './alert-rules';

/** The core subgraph could not be asked: unreachable, or it answered with errors. */
export class CoreUnavailableError extends Error {
  override name = 'CoreUnavailableError';
}

/** An ingestion run that landed in the core, and when it did. */
export type LandedRun = { id: number; finishedAt: Date };

/** What the watchlists ask the core, over its GraphQL API (never its tables). */
export type CoreClient = {
  /**
   * Asking price and status of each product, by the core's `_entities`; null for an unknown id.
   * With `landedAt`, prices read from a read replica that had not yet replayed what landed
   * then are refused (CoreUnavailableError): the next check asks again.
   */
  productPrices(ids: readonly number[], landedAt?: Date): Promise<Map<number, ProductPrice | null>>;
  /** The newest ingestion runs that landed (SUCCEEDED), newest first. */
  landedRuns(): Promise<LandedRun[]>;
  /** Whether the core accepts this `Authorization` header's API key. */
  acceptsKey(authorization: string): Promise<boolean>;
};

/** Representations per `_entities` call: the core's demand control prices each one. */
const ENTITIES_PER_CALL = 100;

const PRICES = `query WatchlistsProductPrices($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Product { id status price { minorUnits currency } } }
}`;

const LANDED_RUNS = `query WatchlistsLandedRuns {
  ingestRuns(first: 20, filter: { status: [SUCCEEDED] }) { nodes { id finishedAt } }
}`;

/** Where the core read an answer (its `extensions.freshness.readFrom`, docs/replicas.md). */
type ReadFrom = { target: 'primary' } | { target: 'replica'; replica: string; consistentAsOf: string };

type GraphQLAnswer<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { freshness?: { readFrom?: ReadFrom } };
};

/**
 * A client of the core subgraph at `url`. Background calls (prices, runs) send `serviceKey` when
 * one is set: the core needs a key for them in keys mode.
 * @example const core = createCoreClient('http://127.0.0.1:4001/graphql', undefined);
 */
export function createCoreClient(url: string, serviceKey: string | undefined): CoreClient {
  async function post<T>(query: string, variables: Record<string, unknown>, authorization?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    } catch (error) {
      throw new CoreUnavailableError(`the core subgraph at ${url} is unreachable`, { cause: error });
    }
    const answer = (await response.json().catch(() => ({}))) as GraphQLAnswer<T>;
    return { status: response.status, answer };
  }

  async function data<T>(query: string, variables: Record<string, unknown> = {}, landedAt?: Date): Promise<T> {
    const { status, answer } = await post<T>(query, variables, serviceKey && `Bearer ${serviceKey}`);
    if (!answer.data || answer.errors?.length) {
      const reason = answer.errors?.map((error) => error.extensions?.code ?? error.message).join(', ');
      throw new CoreUnavailableError(`the core subgraph answered HTTP ${status}${reason ? `: ${reason}` : ''}`);
    }
    const readFrom = answer.extensions?.freshness?.readFrom;
    if (landedAt && readFrom?.target === 'replica' && Date.parse(readFrom.consistentAsOf) < landedAt.getTime()) {
      throw new CoreUnavailableError(
        `the core read from ${readFrom.replica}, which holds changes up to ${readFrom.consistentAsOf} only, before the run that landed at ${landedAt.toISOString()}`,
      );
    }
    return answer.data;
  }

  return {
    async productPrices(ids, landedAt) {
      const prices = new Map<number, ProductPrice | null>();
      for (let start = 0; start < ids.length; start += ENTITIES_PER_CALL) {
        const batch = ids.slice(start, start + ENTITIES_PER_CALL);
        const representations = batch.map((id) => ({ __typename: 'Product', id: String(id) }));
        const { _entities } = await data<{ _entities: (ProductPrice | null)[] }>(PRICES, { representations }, landedAt);
        batch.forEach((id, index) => prices.set(id, _entities[index] ?? null));
      }
      return prices;
    },
    async landedRuns() {
      const { ingestRuns } = await data<{ ingestRuns: { nodes: { id: string; finishedAt: string }[] } }>(LANDED_RUNS);
      return ingestRuns.nodes.map((run) => ({ id: Number(run.id), finishedAt: new Date(run.finishedAt) }));
    },
    async acceptsKey(authorization) {
      const { status } = await post('{ __typename }', {}, authorization);
      if (status >= 500) throw new CoreUnavailableError(`the core subgraph answered HTTP ${status}`);
      return status !== 401;
    },
  };
}
