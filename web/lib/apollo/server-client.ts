import { HttpLink } from '@apollo/client';
import { ApolloClient, InMemoryCache, registerApolloClient } from '@apollo/client-integration-nextjs';
import { webConfig } from '../config';

// One client per server request (registerApolloClient scopes it to the React request), so
// nothing fetched for one visitor is served to another. `no-store`: the gateway has its own
// caches and the dashboard shows live data.
export const { getClient, query, PreloadQuery } = registerApolloClient(
  () =>
    new ApolloClient({
      cache: new InMemoryCache(),
      link: new HttpLink({ uri: webConfig.gatewayUrl, fetchOptions: { cache: 'no-store' } }),
      // A server render reads each result once: normalizing it into the cache is wasted work.
      defaultOptions: { query: { fetchPolicy: 'no-cache' } },
    }),
);
