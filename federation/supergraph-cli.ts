import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph } from './supergraph';
import { SUPERGRAPH_FILE } from './supergraph-file';

// `npm run supergraph` writes federation/supergraph.graphql from both subgraphs' SDL;
// `npm run supergraph:check` (CI) fails when the checked-in file differs from a fresh composition.
function main() {
  const composed = composeSupergraph();
  const shown = path.relative(process.cwd(), SUPERGRAPH_FILE);
  if (!process.argv.includes('--check')) {
    writeFileSync(SUPERGRAPH_FILE, composed);
    console.log(`Wrote ${shown}.`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(SUPERGRAPH_FILE, 'utf8');
  } catch {
    // A missing file is drift like any other.
  }
  if (current !== composed) {
    console.error(`${shown} is out of date with the subgraphs' SDL: run npm run supergraph and commit it.`);
    process.exit(1);
  }
  console.log(`${shown} matches the subgraphs' SDL.`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
