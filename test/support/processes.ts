/** Child processes as tests and benchmarks see them: their CPU and children (/proc, Linux), and ending them. */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString());

/** The fields of /proc/<pid>/stat from field 3 on (the command name before may hold spaces). */
function statFields(pid: number): number[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
}

/** CPU time of a process in clock ticks, its own and that of its waited-for children (/proc, Linux). */
export function cpuTicks(pid: number): { own: number; children: number } {
  const fields = statFields(pid);
  const field = (n: number) => fields[n - 3] ?? NaN;
  return { own: field(14) + field(15), children: field(16) + field(17) };
}

/** The pids of the live processes whose parent is `pid` (/proc, Linux). */
export function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return statFields(Number(entry))[1] === pid; // field 4: the parent's pid
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** CPU ticks of a process and of its live children: a cluster primary and its workers. */
export function treeCpuTicks(pid: number): number {
  return [pid, ...childPids(pid)].reduce((sum, each) => sum + cpuTicks(each).own, 0);
}

/** SIGKILLs every process of `children` still running and waits until each has exited: for afterAll. */
export async function killAll(children: Iterable<ChildProcess>): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
