import type { DataClient } from '../data/client';

/** What every resolver receives as its third argument; built fresh for each request by the gateway. */
export type Context = {
  /** The request's data layer: its loaders batch and memoize for this request only. */
  data: DataClient;
  requestId: string;
};
