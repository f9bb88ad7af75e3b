import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/** The subgraph SDL: every `schema/*.graphql` file, base first, as one document. */
export function loadTypeDefs(): DocumentNode {
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)));
  return parse(files.map((file) => readFileSync(path.join(__dirname, file), 'utf8')).join('\n'));
}
