import { readFileSync } from 'node:fs';
import { type DocumentNode, parse } from 'graphql';
import { projectPath } from '../lib/paths';

/** The watchlists subgraph's SDL (watchlists/schema.graphql), parsed. */
export function loadWatchlistsTypeDefs(): DocumentNode {
  return parse(readFileSync(projectPath('watchlists', 'schema.graphql'), 'utf8'));
}
