/**
 * The native-noise filter without a second Node process (for `hepq serve`: its first answer should not wait for
 * one). Native code (Dawn, Mesa, Vulkan) writes to fd 2, which Node cannot dup2 — but POSIX `open` returns the
 * lowest free descriptor, so closing fd 2 and opening a FIFO at once puts the FIFO at fd 2. A small awk process
 * reads it, drops the noise lines (`NOISE_PATTERNS`, and the blank line closing a dropped block) and writes the
 * rest to the real stderr, which it inherited; hepq's own `process.stderr` writes go straight to the real stderr
 * where it can be reopened as another descriptor (a terminal, a pipe), else through awk. Costs a `mkfifo` and an
 * `awk` start (a few ms of CPU), done before the command starts anything else. A step that fails leaves fd 2 as
 * it was and returns false: the caller then runs the filtering child instead.
 */
import { spawn } from 'node:child_process';
import { closeSync, constants, fstatSync, openSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOISE_PATTERNS, stderrTo } from './native-noise.js';

/** Drops noise lines and the blank line that closes a dropped block; passes every other line at once. */
const AWK_FILTER =
  '$0 ~ ENVIRON["HEPQ_NOISE_ERE"] { drop = 1; next } drop && $0 == "" { drop = 0; next } { drop = 0; print; fflush() }';

/** The awk filter process, kept referenced for the life of the command. */
let filter: ReturnType<typeof spawn> | undefined;

/** Runs `cmd args` to its end; resolves true when it exited 0. */
function succeeds(cmd: string, args: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

/** Close `fd`, ignoring a failure (cleanup on a path that already failed). */
function close(fd: number | undefined): void {
  if (fd === undefined) return;
  try {
    closeSync(fd);
  } catch {}
}

/**
 * Turn this process's fd 2 into a pipe through the awk filter. True when done; false (fd 2 untouched, or put
 * back) where it cannot be: Windows, no `mkfifo` or `awk`.
 */
export async function filterInProcess(): Promise<boolean> {
  if (process.platform === 'win32') return false;
  const fifo = join(tmpdir(), `hepq-stderr-${process.pid}-${Date.now().toString(36)}`);
  if (!(await succeeds('mkfifo', ['-m', '600', fifo]))) return false;
  const fds: number[] = [];
  const open = (flags: number) => {
    const fd = openSync(fifo, flags);
    fds.push(fd);
    return fd;
  };
  let child: ReturnType<typeof spawn>;
  try {
    // Both ends without blocking: a reader first (so that a writer can open), a writer (so that the blocking
    // reader awk needs opens at once).
    open(constants.O_RDONLY | constants.O_NONBLOCK);
    open(constants.O_WRONLY | constants.O_NONBLOCK);
    const reader = open(constants.O_RDONLY);
    // awk's output is this process's stderr as it is now (a terminal, a pipe, a file, a socket)
    child = spawn('awk', [AWK_FILTER], {
      stdio: [reader, 2, 2],
      // its own session: a Ctrl-C at the terminal stops the server, whose last messages still pass the filter;
      // awk ends when every writer of the FIFO has (this process and the children that inherit its fd 2)
      detached: true,
      env: { ...process.env, HEPQ_NOISE_ERE: NOISE_PATTERNS.map((p) => `(${p})`).join('|') },
    });
    child.on('error', () => {});
    if (child.pid === undefined) throw new Error('awk did not start');
  } catch {
    for (const fd of fds) close(fd);
    unlink(fifo);
    return false;
  }
  // hepq's own stderr: straight to the real one where it can be reopened as a terminal or a pipe, else through
  // awk too (its lines pass unchanged): a socket cannot be reopened, and a file reopened would have an offset of
  // its own (awk's lines and ours would overwrite each other)
  let real: number | undefined;
  try {
    real = openSync('/dev/fd/2', constants.O_WRONLY | constants.O_APPEND);
    if (fstatSync(real).isFile()) {
      close(real);
      real = undefined;
    }
  } catch {}
  // fd 2 becomes the FIFO's writing end: closed, then the lowest free descriptor is the one opened next.
  // Non-blocking: if the filter ever stalls, native messages are dropped rather than the process blocked.
  closeSync(2);
  let w: number | undefined;
  try {
    w = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {}
  unlink(fifo);
  for (const fd of fds) close(fd);
  if (w !== 2) {
    // (cannot happen while nothing else opens files) put the real stderr back at fd 2 where possible
    close(w);
    if (real !== undefined) {
      const back = openSync(`/dev/fd/${real}`, constants.O_WRONLY | constants.O_APPEND);
      if (back !== 2) close(back);
      close(real);
    }
    child.kill();
    return false;
  }
  child.unref();
  filter = child;
  if (real !== undefined) stderrTo(real);
  return true;
}

function unlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {}
}

/** The filter's process id while one runs (for tests and diagnostics). */
export function filterPid(): number | undefined {
  return filter?.pid;
}
