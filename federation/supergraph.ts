import { composeServices } from '@apollo/composition';
import { loadTypeDefs } from '../schema';
import { loadWatchlistsTypeDefs } from '../watchlists/schema';

/**
 * The subgraphs' default addresses, composed into the file; the gateway overrides them
 * (CORE_URL, WATCHLISTS_URL) at start, so the file does not change with the ports.
 */
const DEFAULT_URLS = { core: 'http://127.0.0.1:4001/graphql', watchlists: 'http://127.0.0.1:4002/graphql' };

/**
 * Composes the core's SDL (schema/) and the watchlists' (watchlists/schema.graphql) into a
 * Federation 2 supergraph, or throws with every composition error.
 * @example writeFileSync(SUPERGRAPH_FILE, composeSupergraph());
 */
export function composeSupergraph(): string {
  const result = composeServices([
    { name: 'core', typeDefs: loadTypeDefs(), url: DEFAULT_URLS.core },
    { name: 'watchlists', typeDefs: loadWatchlistsTypeDefs(), url: DEFAULT_URLS.watchlists },
  ]);
  if (result.errors) {
    throw new Error(`The subgraphs do not compose:\n${result.errors.map((error) => `  ${error.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}
