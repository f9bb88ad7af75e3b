// Runs the gateway and the dashboard as one unit: output interleaved, one Ctrl-C (or
// SIGTERM) stops both, and if either dies the other is stopped and the exit code passed on.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Where the dashboard's server reaches the gateway, unless GATEWAY_URL says otherwise. */
export function gatewayUrlFor(env) {
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  return env.GATEWAY_URL || `http://${host}:${env.PORT || '4000'}/graphql`;
}

/** The dashboard's address: WEB_HOST (else HOST, else 127.0.0.1) and WEB_PORT (default 3000). */
export function webAddress(env) {
  return { host: env.WEB_HOST || env.HOST || '127.0.0.1', port: env.WEB_PORT || '3000' };
}

/**
 * Starts every command; `onLine(name, line)` sees the dashboard's output so the caller can
 * print its URL once it is ready. Resolves never: the process exits when the pair stops.
 * @param {{ name: string, command: string, args: string[], env?: NodeJS.ProcessEnv, filter?: (line: string) => string | null }[]} commands
 */
export function runTogether(commands) {
  const children = commands.map((command) => {
    const child = spawn(command.command, command.args, {
      cwd: root,
      env: { ...process.env, ...command.env },
      stdio: ['inherit', command.filter ? 'pipe' : 'inherit', 'inherit'],
    });
    if (command.filter && child.stdout) {
      let pending = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const shown = command.filter?.(line);
          if (shown !== null && shown !== undefined) process.stdout.write(`${shown}\n`);
        }
      });
    }
    return { name: command.name, child, exited: false };
  });

  let stopping = false;
  let exitCode = 0;
  const stopAll = (signal) => {
    stopping = true;
    for (const entry of children) if (!entry.exited) entry.child.kill(signal);
    // A child that ignores the signal must not keep the terminal hostage.
    setTimeout(() => {
      for (const entry of children) if (!entry.exited) entry.child.kill('SIGKILL');
    }, 15_000).unref();
  };
  for (const entry of children) {
    entry.child.on('exit', (code, signal) => {
      entry.exited = true;
      if (!stopping) {
        console.error(`${entry.name} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
        exitCode = code || 1;
        stopAll('SIGTERM');
      }
      if (children.every((other) => other.exited)) process.exit(exitCode);
    });
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
}
