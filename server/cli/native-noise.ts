/**
 * Keeps the GPU stack's own messages out of the user's terminal: Dawn, Vulkan and Mesa print them from native code
 * straight to fd 2, which Node cannot redirect in-process, so a command that may open a GPU runs in a child process
 * whose fd 2 passes through a filter that drops exactly those lines (`--verbose` or HEPQ_VERBOSE=1 shows them),
 * while hepq's own stderr output goes straight to the terminal through fd 3.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, statSync } from 'node:fs';
import { isatty, WriteStream } from 'node:tty';

/** Commands that may open a WebGPU device (directly, or through a Session whose device choice is `auto`). */
const GPU_COMMANDS = new Set([
  'query',
  'sql',
  'explain',
  'repl',
  'gpu-info',
  'demo',
  'serve',
  'servicex',
  'worker',
  'fit',
  'cls',
  'limit',
  'ranking',
]);

/**
 * Lines the native GPU stack prints on its own (Dawn's warnings with their "While …"/"at …" context), as regular
 * expressions that mean the same in JavaScript and in POSIX awk (extended syntax, no `\S` or `{n}`): the
 * in-process filter (`in-process-filter.ts`) hands them to awk.
 */
export const NOISE_PATTERNS: readonly string[] = [
  '^error: XDG_RUNTIME_DIR is invalid or not set',
  '^Warning: .*(Vulkan|artificially reduced|dynamic offset|adapter|backend|Dawn|shader)',
  '^ - While ',
  '^    at [^ ]+ \\(.*(dawn|third_party)/',
  '^MESA(-LOADER)?: ',
  '^libEGL warning: ',
  '^WARNING: lavapipe is not a conformant vulkan implementation',
];
const NOISE: readonly RegExp[] = NOISE_PATTERNS.map((p) => new RegExp(p));
/** Starts of those lines: a partial line that may still become one is held until its newline. */
const PREFIXES = ['error: XDG', 'Warning: ', ' - While ', '    at ', 'MESA', 'libEGL', 'WARNING: lavapipe'];

export const isNativeNoise = (line: string): boolean => NOISE.some((re) => re.test(line));

/** Line filter over a stream of text: drops native noise (and the blank line closing a dropped block). */
export class NoiseFilter {
  private held = '';
  private dropping = false;
  /** the start of the current line was already passed on (it was not noise) */
  private passing = false;

  constructor(private readonly write: (text: string) => void) {}

  push(chunk: string): void {
    const text = this.held + chunk;
    this.held = '';
    let out = '';
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl);
      start = nl + 1;
      if (this.passing) {
        this.passing = false;
        this.dropping = false;
        out += `${line}\n`;
      } else if (isNativeNoise(line)) this.dropping = true;
      else if (this.dropping && line === '') this.dropping = false;
      else {
        this.dropping = false;
        out += `${line}\n`;
      }
    }
    const rest = text.slice(start);
    // a progress bar's "\r…" or a prompt passes at once; only what may be the start of a noise line waits
    if (rest && PREFIXES.some((p) => p.startsWith(rest) || rest.startsWith(p))) this.held = rest;
    else if (rest) {
      out += rest;
      this.passing = true;
    }
    if (out) this.write(out);
  }

  end(): void {
    if (this.held && !isNativeNoise(this.held)) this.write(this.held);
    this.held = '';
  }
}

/**
 * Commands whose stderr is filtered in their own process (fd 2 turned into a pipe to a small awk filter,
 * `in-process-filter.ts`) rather than by running them as a filtered child: a server's first answer should not wait
 * for a second Node start. Not on Windows (no FIFOs, no awk).
 */
export function filtersInProcess(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  platform: string = process.platform,
): boolean {
  return platform !== 'win32' && argv[0] === 'serve' && stderrFiltered(argv, env);
}

/** Whether this command line runs as a child with its stderr filtered (the launcher filters), or as is. */
export function wantsFilter(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  return stderrFiltered(argv, env) && !filtersInProcess(argv, env);
}

/** Whether this command line's stderr is filtered at all (in a child or in-process). */
function stderrFiltered(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (env.HEPQ_NATIVE_STDERR === 'child' || env.HEPQ_VERBOSE === '1' || argv.includes('--verbose'))
    return false;
  if (
    argv.includes('--help') ||
    argv.includes('-h') ||
    argv.includes('--device=cpu') ||
    argv.includes('--device=duckdb')
  )
    return false;
  const d = argv.indexOf('--device');
  // cpu and duckdb never open a GPU
  if (d >= 0 && (argv[d + 1] === 'cpu' || argv[d + 1] === 'duckdb')) return false;
  const name = argv[0] ?? '';
  if (!(GPU_COMMANDS.has(name) || /\.(root|parquet)$/i.test(name))) return false;
  // The child costs a second Node start. Commands that cannot get as far as a device run here instead:
  // (the REPL keeps its files; a later .fileset of large ones would show Dawn's messages unfiltered, nothing worse)
  if (['query', 'explain', 'repl'].includes(name) || /\.(root|parquet)$/i.test(name))
    return !smallLocalInputs(argv, d);
  if (name === 'sql') return !gpuFreeSql(argv);
  return true;
}

/**
 * Inputs small enough that `--device auto` never consults the GPU: the physical plan asks the device only when the
 * CPU side is estimated over GPU_OPEN_S (0.25 s), and 1 MiB of even LZMA-compressed baskets (30 MB/s at the
 * planner's default rates, ~5× expansion) stays well under it. Every input must be a local file named on the
 * command line (a URL, a glob, a fileset, a cluster or a dataset named only inside the query text may be large).
 */
export const SMALL_INPUT_BYTES = 1 << 20;

function smallLocalInputs(argv: readonly string[], device: number): boolean {
  if (device >= 0 && argv[device + 1] !== 'auto') return false; // --device gpu (cpu returned earlier)
  if (argv.some((a) => /^--(device=gpu|fileset|cluster)/.test(a) || /^https?:\/\//.test(a))) return false;
  let bytes = 0;
  let files = 0;
  for (const a of argv) {
    if (!/\.(root|parquet)$/i.test(a) || a.startsWith('-')) continue;
    let size: number;
    try {
      const st = statSync(a);
      if (!st.isFile()) return false;
      size = st.size;
    } catch {
      return false; // a glob, or a file the command will report missing: let the usual path handle it
    }
    bytes += size;
    files++;
  }
  return files > 0 && bytes <= SMALL_INPUT_BYTES;
}

/** SQL reaches a device only through a func_adl query (`func_adl(…)`, the `*_from(query, …)` fits); a script read
 * from a file or stdin may hold one. */
function gpuFreeSql(argv: readonly string[]): boolean {
  if (argv.some((a) => a === '-f' || a.startsWith('--file'))) return false;
  return !argv.slice(1).some((a) => /func_adl|_from\s*\(/i.test(a));
}

/**
 * In the child: hepq's own stderr (progress bars, errors, warnings) goes to fd 3, the parent's real stderr, so it
 * stays in order with stdout and a terminal stays a terminal; only native code still writes to fd 2, the filtered
 * pipe. Returns argv without the global `--verbose`.
 */
export function childSetup(argv: readonly string[]): string[] {
  if (process.env.HEPQ_NATIVE_STDERR === 'child' && process.env.HEPQ_STDERR_FD === '3') stderrTo(3);
  return argv.filter((a) => a !== '--verbose');
}

/** `process.stderr` writes to `fd` (the real stderr) instead of fd 2; false when fd cannot be written to. */
export function stderrTo(fd: number): boolean {
  let out: NodeJS.WritableStream & { columns?: number };
  let tty = false;
  try {
    tty = isatty(fd);
    out = tty ? new WriteStream(fd) : createWriteStream('', { fd });
  } catch {
    return false;
  }
  const write = out.write.bind(out) as typeof process.stderr.write;
  Object.assign(process.stderr, { write, isTTY: tty, ...(tty ? { columns: out.columns } : {}) });
  return true;
}

const ignore = () => {};

/** Run `hepq ARGV` again as a child with its stderr filtered; resolves to its exit code. */
export function runFiltered(cliPath: string, argv: readonly string[]): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, HEPQ_NATIVE_STDERR: 'child', HEPQ_STDERR_FD: '3' };
  // fd 2 of the child: a pipe through the filter (native code writes there); fd 3: this process's stderr
  const child = spawn(process.execPath, [...process.execArgv, cliPath, ...argv], {
    stdio: ['inherit', 'inherit', 'pipe', 2],
    env,
  });
  const filter = new NoiseFilter((t) => process.stderr.write(t));
  const native = child.stdio[2] as NodeJS.ReadableStream;
  native.setEncoding('utf8');
  native.on('data', (c: string) => filter.push(c));
  // a signal sent to this process (a test's kill, a service manager's stop) reaches the command
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  // (Ctrl-C at a terminal reaches both processes already: forwarding it too would deliver it twice)
  const signals: NodeJS.Signals[] = process.stdin.isTTY
    ? ['SIGTERM', 'SIGHUP']
    : ['SIGTERM', 'SIGHUP', 'SIGINT'];
  if (process.stdin.isTTY) process.on('SIGINT', ignore);
  const handlers = signals.map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      filter.end();
      for (const [s, h] of handlers) process.off(s, h);
      process.off('SIGINT', ignore);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
    child.on('error', (e) => {
      process.stderr.write(`hepq: could not start: ${e.message}\n`);
      resolve(1);
    });
  });
}
