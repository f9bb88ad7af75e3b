/**
 * `npm run keys -- <command>`: API keys for the gateway.
 *   create --name "analytics team" --role analyst   mints a key and prints it, once
 *   list                                            every key: id, role, name, prefix, state
 *   revoke <id>                                     the key stops working within a minute
 * Exit code 2 for bad arguments, 1 when the database fails.
 */
import { answeredHelp, databaseModules, runCli } from '../db/cli/run';
import { ROLES, type Role } from '../lib/roles';

const USAGE = `usage: npm run keys -- create --name <name> --role <${ROLES.join('|')}>
       npm run keys -- list
       npm run keys -- revoke <id>`;

class UsageError extends Error {}

type Command = { kind: 'create'; name: string; role: Role } | { kind: 'list' } | { kind: 'revoke'; id: number };

function parseArgs(args: string[]): Command {
  const [command, ...rest] = args;
  if (command === 'list' && rest.length === 0) return { kind: 'list' };
  if (command === 'revoke' && rest.length === 1 && /^[1-9]\d{0,9}$/.test(rest[0] ?? '')) {
    return { kind: 'revoke', id: Number(rest[0]) };
  }
  if (command === 'create') {
    const options = new Map<string, string>();
    for (let i = 0; i < rest.length; i += 2) {
      const flag = rest[i];
      const value = rest[i + 1];
      if ((flag !== '--name' && flag !== '--role') || value === undefined) {
        throw new UsageError(`unknown or incomplete option ${JSON.stringify(flag)}`);
      }
      options.set(flag, value);
    }
    const name = options.get('--name')?.trim();
    const role = options.get('--role');
    if (!name) throw new UsageError('create needs --name');
    if (!ROLES.includes(role as Role))
      throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`);
    return { kind: 'create', name, role: role as Role };
  }
  throw new UsageError(command ? `unknown command ${JSON.stringify(command)}` : 'a command is needed');
}

async function main(): Promise<number> {
  if (answeredHelp(USAGE)) return 0;
  let command: Command;
  try {
    command = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const [{ parseEnv, openDatabase }, { createApiKey, listApiKeys, revokeApiKey }] = await Promise.all([
    databaseModules(),
    import('../data/api-keys'),
  ]);
  const env = parseEnv();
  const database = openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, poolMax: 1 });
  try {
    await database.migrate();
    switch (command.kind) {
      case 'create': {
        const created = await createApiKey(database.db, command);
        console.log(`key ${created.id} (${created.role}, "${created.name}"):\n\n  ${created.key}\n`);
        console.log('Keep it now: only its hash is stored. Send it as "Authorization: Bearer <key>".');
        return 0;
      }
      case 'list': {
        const keys = await listApiKeys(database.db);
        if (keys.length === 0) console.log('no keys yet: npm run keys -- create --name <name> --role <role>');
        for (const key of keys) {
          const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
          console.log(`${key.id}\t${key.role}\t${key.prefix}…\t${state}\t${key.name}`);
        }
        return 0;
      }
      case 'revoke': {
        if (await revokeApiKey(database.db, command.id)) {
          console.log(`key ${command.id} revoked`);
          return 0;
        }
        console.error(`no active key has id ${command.id}`);
        return 1;
      }
    }
  } finally {
    await database.close();
  }
}

runCli(main);
