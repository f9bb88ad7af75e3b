/**
 * Whether a process of this host is alive. A process we may not signal (EPERM) exists, so it
 * counts as alive.
 * @example isProcessAlive(process.pid) // true
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
