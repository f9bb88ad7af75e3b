'use client';

import { HttpLink } from '@apollo/client';
import { ApolloClient, ApolloNextAppProvider, InMemoryCache } from '@apollo/client-integration-nextjs';
import type { ReactNode } from 'react';
import { persistedOperations } from './persisted-link';

// Client components query through this app's own /graphql route, which forwards the
// dashboard's safelisted operations (by hash) to the gateway and nothing else: same origin
// (no CORS), and the gateway's address stays a server-side setting.
// They query only after an interaction, so the SSR pass of this client never fetches.
function makeClient() {
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: persistedOperations().concat(new HttpLink({ uri: '/graphql' })),
  });
}

/** Gives client components the Apollo client behind the generated typed documents. */
export function ApolloProvider({ children }: { children: ReactNode }) {
  return <ApolloNextAppProvider makeClient={makeClient}>{children}</ApolloNextAppProvider>;
}
