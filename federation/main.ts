import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { ZodError } from 'zod';
import { parseFederationEnv } from './env';
import { createFederationGateway, readPersistedDocuments } from './gateway';
import { SUPERGRAPH_FILE } from './supergraph-file';
import { projectPath } from '../lib/paths';

/** Where codegen writes the dashboard's persisted operations. */
const PERSISTED_DOCUMENTS = projectPath('web', '__generated__', 'persisted-documents.json');

// Entry point of `npm run serve:federation`: the federation gateway over the checked-in
// supergraph; SIGTERM/SIGINT let in-flight requests finish, then exit.
async function main() {
  let env;
  try {
    env = parseFederationEnv(process.env);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    console.error(error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'));
    process.exit(2);
  }
  const gateway = createFederationGateway({
    supergraph: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    subgraphs: { core: env.CORE_URL, watchlists: env.WATCHLISTS_URL },
    persistedDocuments: readPersistedDocuments(PERSISTED_DOCUMENTS),
    authMode: env.AUTH_MODE,
    maxCost: env.FEDERATION_MAX_COST,
    defaultListSize: env.COST_DEFAULT_LIST_SIZE,
    logLevel: env.LOG_LEVEL,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await gateway.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  await new Promise<void>((resolve, reject) => {
    gateway.httpServer.once('error', reject);
    gateway.httpServer.listen(env.PORT, env.HOST, resolve);
  });
  const { port } = gateway.httpServer.address() as AddressInfo;
  const host = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  console.log(
    [
      '',
      `  Soldgraph federation gateway is up (Hive Gateway, ${env.AUTH_MODE === 'open' ? 'open: no key needed' : 'API keys required beyond persisted operations'})`,
      `  Federated API: http://${host}:${port}/graphql`,
      `  Subgraphs:     core ${env.CORE_URL}, watchlists ${env.WATCHLISTS_URL}`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(
    `Soldgraph federation gateway failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
