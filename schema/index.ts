import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import { projectPath } from '../lib/paths';

const SDL_DIR = projectPath('schema');

/** The subgraph SDL: every `schema/*.graphql` file, base first, as one document. */
export function loadTypeDefs(): DocumentNode {
  const files = readdirSync(SDL_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)));
  return parse(files.map((file) => readFileSync(path.join(SDL_DIR, file), 'utf8')).join('\n'));
}
