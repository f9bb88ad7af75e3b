/**
 * `npm run ingest -- <command>`: run a source, replay raw payloads, list runs, load samples.
 * Exit code 0 on success, 1 when a run failed, 2 for bad arguments (with the usage).
 */
import { runCli } from '../db/cli/run';
import { parseArgs, usage } from './cli-args';
import type { SourceArgs } from './pipeline/entry';
import { isSourceName, SOURCE_USAGE } from './sources/usage';

/** The commands besides running a source. */
const COMMANDS = ['samples', 'replay', 'runs'];

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === '--help' || command === '-h') {
    console.log(usage());
    return 0;
  }
  if (!command) {
    console.error(usage());
    return 2;
  }
  if (!isSourceName(command) && !COMMANDS.includes(command)) {
    console.error(`unknown command or source "${command}"\n${usage()}`);
    return 2;
  }
  if (isSourceName(command) && (rest.includes('--help') || rest.includes('-h'))) {
    console.log(`usage: npm run ingest -- ${SOURCE_USAGE[command]}\noptions for every run: --progress`);
    return 0;
  }
  let args: SourceArgs;
  try {
    args = parseArgs(rest);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage()}`);
    return 2;
  }
  const { runCommand } = await import('./cli-run');
  return runCommand(command, args);
}

if (require.main === module) {
  runCli(main);
}
