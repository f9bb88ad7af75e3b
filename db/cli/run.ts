import { describeError } from '../errors';

/**
 * Runs a command-line entry point: a number it returns is the exit code, and a failure prints
 * its cause in one line (PostgreSQL's message and SQLSTATE, never an SQL dump) and exits 1.
 * The exit code is set, not forced, so open handles finish closing first.
 * @example if (require.main === module) runCli(main);
 */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (error: unknown) => {
      console.error(describeError(error));
      process.exitCode = 1;
    },
  );
}
