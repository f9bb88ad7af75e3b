import { HttpLink } from '@apollo/client';
import { ApolloClient, InMemoryCache, registerApolloClient } from '@apollo/client-integration-nextjs';
import { webConfig } from '../config';
import { persistedOperations } from './persisted-link';

// One client per server request (registerApolloClient scopes it to the React request), so
// nothing fetched for one visitor is served to another. `no-store`: the gateway has its own
// caches and the dashboard shows live data.
export const { getClient, query, PreloadQuery } = registerApolloClient(
  () =>
    new ApolloClient({
      cache: new InMemoryCache(),
      link: persistedOperations().concat(
        new HttpLink({
          uri: webConfig.gatewayUrl,
          fetchOptions: { cache: 'no-store' },
          // GETs must say they are API calls (the gateway's CSRF prevention); a key, when the
          // dashboard has one, gives it a rate limit of its own rather than its IP's.
          headers: {
            'apollo-require-preflight': 'true',
            ...(webConfig.gatewayApiKey ? { authorization: `Bearer ${webConfig.gatewayApiKey}` } : {}),
          },
        }),
      ),
      // A server render reads each result once: normalizing it into the cache is wasted work.
      defaultOptions: { query: { fetchPolicy: 'no-cache' } },
    }),
);
