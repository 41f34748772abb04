/** Drives the built `hepq` CLI through a real pseudo-terminal (node-pty), as a person at a keyboard would. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'dist', 'cli.js');

/**
 * Build dist/ when it is missing (`npm test` builds it first; after editing sources, run `npm run build`).
 * Test files running at once build it only once: a lock folder in the temp directory serialises them.
 */
export function ensureBuilt(): void {
  if (existsSync(CLI)) return;
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
      if (Date.now() - t0 > 60_000)
        throw new Error(`dist/ is missing and ${lock} has been held for a minute`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (!existsSync(CLI))
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
  private readonly p: pty.IPty;
  raw = '';
  exited: number | undefined;

  constructor(args: string[], env: Record<string, string> = {}, cols = 120) {
    this.p = pty.spawn(process.execPath, [join(REPO, 'bin', 'hepq.mjs'), ...args], {
      cols,
      rows: 40,
      cwd: REPO,
      env: { ...process.env, ...env } as Record<string, string>,
    });
    this.p.onData((d) => {
      this.raw += d;
    });
    this.p.onExit(({ exitCode }) => {
      this.exited = exitCode;
    });
  }

  get text(): string {
    return plain(this.raw);
  }

  type(s: string): void {
    this.p.write(s);
  }

  /** Wait until the output after `from` matches, or fail after `ms` showing what was seen. */
  async waitFor(re: RegExp, from = 0, ms = 15_000): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const seen = plain(this.raw.slice(from));
      if (re.test(seen)) return seen;
      if (Date.now() - t0 > ms || this.exited !== undefined)
        throw new Error(`timed out waiting for ${re}; the terminal shows:\n${seen.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Type a line and wait for the next prompt; returns what was printed in between. */
  async run(line: string, ms = 15_000): Promise<string> {
    const from = this.raw.length;
    this.type(`${line}\r`);
    const seen = await this.waitFor(/hepq> $/, from, ms);
    return seen;
  }

  async exit(): Promise<number> {
    if (this.exited === undefined) this.type('\x04');
    const t0 = Date.now();
    while (this.exited === undefined && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
    if (this.exited === undefined) this.p.kill();
    return this.exited ?? -1;
  }
}
