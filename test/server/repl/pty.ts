/**
 * Drives the built `hepq` CLI through a real pseudo-terminal, as a person at a keyboard would. The pty comes from
 * `@lydell/node-pty` (node-pty with prebuilt binaries per platform, nothing to compile); where it does not load,
 * `havePty` is false and the pty tests are skipped loudly (`ptyMissing` says why).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Pty from '@lydell/node-pty';

let pty: typeof Pty | undefined;
/** Why no pseudo-terminal can be opened here (undefined when one can). */
export let ptyMissing: string | undefined;
try {
  pty = createRequire(import.meta.url)('@lydell/node-pty') as typeof Pty;
} catch (err) {
  ptyMissing = `@lydell/node-pty does not load here (${(err as Error).message.split('\n')[0]}): pseudo-terminal tests are SKIPPED`;
  console.warn(`\n!!! ${ptyMissing} !!!\n`);
}
/** Whether a pseudo-terminal can be opened (the pty tests skip without one). */
export const havePty = pty !== undefined;

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO, 'dist', 'cli.js');
/** package.json's `types` (a dist/ built before the build wrote declarations lacks it) */
const TYPES = join(REPO, 'dist', 'types', 'server', 'index.d.ts');

/**
 * Build dist/ when it is missing (`npm test` builds it first; after editing sources, run `npm run build`).
 * Test files running at once build it only once: a lock folder in the temp directory serialises them.
 */
export function ensureBuilt(): void {
  if (existsSync(CLI) && existsSync(TYPES)) return;
  const lock = join(
    tmpdir(),
    `hepq-build-${createHash('sha1').update(REPO).digest('hex').slice(0, 12)}.lock`,
  );
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another test file is building: wait for it to finish (its lock gone), then dist/ is whole
      // a lock left by a build that died: a build takes seconds, so ten minutes means nobody holds it
      if (Date.now() - t0 > 600_000)
        throw new Error(`dist/ is missing and ${lock} has been held for ten minutes; remove it`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (!existsSync(CLI) || !existsSync(TYPES))
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
  } finally {
    rmdirSync(lock);
  }
}

/**
 * What the screen shows of terminal output, line by line: a carriage return or `ESC[nG` moves to a column, `ESC[2K`
 * clears the line, `ESC[0J`/`ESC[K` clear to its end, and later characters overwrite earlier ones (as a progress
 * bar is redrawn and then erased). Other escape sequences are dropped.
 */
export function plain(s: string): string {
  const lines: string[] = [];
  let line: string[] = [];
  let col = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\x1b') {
      const m = /^\x1b\[([0-9;?]*)([A-Za-z])/.exec(s.slice(i, i + 16));
      if (!m) continue;
      i += m[0].length - 1;
      const n = Number(m[1] || '0');
      if (m[2] === 'G') col = Math.max(0, n - 1);
      else if (m[2] === 'K' && n === 2) line = [];
      else if (m[2] === 'K' || m[2] === 'J') line.length = Math.min(line.length, col);
      continue;
    }
    if (c === '\r') col = 0;
    else if (c === '\n') {
      lines.push(line.join('').trimEnd());
      line = [];
      col = 0;
    } else if (c === '\b') col = Math.max(0, col - 1);
    else if (c >= ' ') {
      while (line.length < col) line.push(' ');
      line[col++] = c;
    }
  }
  lines.push(line.join(''));
  return lines.join('\n');
}

export class Terminal {
  private readonly p: Pty.IPty;
  raw = '';
  exited: number | undefined;
  /** called on each chunk of output and at exit: what waitFor waits on (events, never a clock) */
  private readonly listeners = new Set<() => void>();

  constructor(args: string[], env: Record<string, string> = {}, cols = 120) {
    if (!pty) throw new Error(ptyMissing);
    this.p = pty.spawn(process.execPath, [join(REPO, 'bin', 'hepq.mjs'), ...args], {
      cols,
      rows: 40,
      cwd: REPO,
      env: { ...process.env, ...env } as Record<string, string>,
    });
    this.p.onData((d) => {
      this.raw += d;
      for (const l of [...this.listeners]) l();
    });
    this.p.onExit(({ exitCode }) => {
      this.exited = exitCode;
      for (const l of [...this.listeners]) l();
    });
  }

  get text(): string {
    return plain(this.raw);
  }

  type(s: string): void {
    this.p.write(s);
  }

  /**
   * Wait until the output after `from` matches; fails if the program exits first, showing what was seen. No clock:
   * on a busy machine a slow answer is still an answer (the test runner's own timeout catches a hang).
   */
  waitFor(re: RegExp, from = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const seen = plain(this.raw.slice(from));
        if (re.test(seen)) {
          this.listeners.delete(check);
          resolve(seen);
        } else if (this.exited !== undefined) {
          this.listeners.delete(check);
          reject(
            new Error(
              `the program exited (${this.exited}) before ${re}; the terminal shows:\n${seen.slice(-2000)}`,
            ),
          );
        }
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Type a line and wait for the next prompt; returns what was printed in between. */
  async run(line: string): Promise<string> {
    const from = this.raw.length;
    this.type(`${line}\r`);
    return await this.waitFor(/hepq> $/, from);
  }

  /** Leave with Ctrl-D and wait for the exit; its exit code. */
  async exit(): Promise<number> {
    if (this.exited === undefined) {
      const gone = new Promise<void>((r) => this.listeners.add(() => this.exited !== undefined && r()));
      this.type('\x15\x04'); // Ctrl-U empties the line, so Ctrl-D leaves
      await gone;
    }
    return this.exited ?? -1;
  }

  /** Stop the program (a test that failed midway must not leave it running). */
  kill(): void {
    if (this.exited === undefined) this.p.kill();
  }
}
