// `npm run start:federated`: the federated stack as one unit: the core subgraph (the gateway
// process `npm run serve` runs), the watchlists subgraph and the Hive federation gateway in
// front of both. One Ctrl-C (or SIGTERM) stops all three; if one dies the others are stopped.
// Ports: FEDERATION_PORT (4000), CORE_PORT (4001), WATCHLISTS_PORT (4002), all on HOST.
import path from 'node:path';
import { buildServer, DIST } from './build.mjs';
import { runTogether } from './run-together.mjs';

const host = process.env.HOST || '127.0.0.1';
const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
const ports = {
  federation: process.env.FEDERATION_PORT || '4000',
  core: process.env.CORE_PORT || '4001',
  watchlists: process.env.WATCHLISTS_PORT || '4002',
};
const coreUrl = `http://${urlHost}:${ports.core}/graphql`;
const watchlistsUrl = `http://${urlHost}:${ports.watchlists}/graphql`;
// The compiled programs (scripts/build.mjs), built first when their TypeScript changed.
await buildServer();
const compiled = (program) => ['--enable-source-maps', path.join(DIST, `${program}.js`)];

runTogether([
  { name: 'core subgraph', command: process.execPath, args: compiled('gateway/main'), env: { PORT: ports.core } },
  {
    name: 'watchlists subgraph',
    command: process.execPath,
    args: compiled('watchlists/main'),
    env: { PORT: ports.watchlists, CORE_URL: coreUrl },
  },
  {
    name: 'federation gateway',
    command: process.execPath,
    args: compiled('federation/main'),
    env: { PORT: ports.federation, CORE_URL: coreUrl, WATCHLISTS_URL: watchlistsUrl },
  },
]);
