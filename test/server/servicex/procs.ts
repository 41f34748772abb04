/** Child processes for the fault tests: the real `hepq` CLI (servicex, worker) and a throwaway redis-server. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('./hepq-cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Proc {
  readonly child: ChildProcess;
  out(): string;
  /** Resolve with the first match of `re` in stdout+stderr (rejects after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnProc(cmd: string, args: readonly string[]): Proc {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => {
    text += d;
  });
  child.stderr!.on('data', (d) => {
    text += d;
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    out: () => text,
    async waitFor(re, ms = 20_000) {
      const t0 = Date.now();
      for (;;) {
        const m = text.match(re);
        if (m) return m;
        if (child.exitCode !== null) throw new Error(`${cmd} exited (${child.exitCode}):\n${text}`);
        if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${re} from ${cmd}:\n${text}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** `hepq ARGS…` from source, as its own process. */
export function spawnHepq(...args: string[]): Proc {
  return spawnProc(process.execPath, ['--import', 'tsx', CLI, ...args]);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Start redis-server on `port` without persistence; fails loudly when redis-server is not installed. */
export async function startRedis(port: number): Promise<Proc> {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('redis-server is not installed: the queue tests need it (apt-get install redis-server)');
  }
  const p = spawnProc('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await p.waitFor(/Ready to accept connections/);
  return p;
}
