import { projectPath } from '../lib/paths';

/**
 * The checked-in supergraph the gateway serves; `npm run supergraph` rewrites it. Apart from
 * the composition (federation/supergraph.ts), whose compiler is a development dependency the
 * runtime image does not install.
 */
export const SUPERGRAPH_FILE = projectPath('federation', 'supergraph.graphql');
