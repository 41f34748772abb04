/** The `hepq` command line: dispatches to lazily loaded subcommands and renders errors. */
import { existsSync } from 'node:fs';
import { didYouMean, HepqError } from '../../exec/core/index.js';
import { type CliIO, processIO } from './command.js';
import { COMMANDS } from './commands/index.js';
import { filterInProcess } from './in-process-filter.js';
import { childSetup, filtersInProcess, runFiltered, wantsFilter } from './native-noise.js';

/** bin/hepq.mjs asks this light front whether a command runs in a filtered child, before loading the rest. */
export { wantsFilter };

const VERSION = '0.1.0';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'hepq — an analysis query engine for high-energy-physics data',
    '',
    'usage: hepq <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'examples:',
    '  hepq demo                                   a whole analysis on generated events, with plots',
    '  hepq events.root                            a REPL on a file (func_adl or SQL; .help lists commands)',
    "  hepq query 'Select(lambda e: e.MET_pt).Hist(lambda m: m, bins=50, range=(0, 200))' events.root --plot met.svg",
    '  hepq inspect events.root                    trees, branches, types and sizes',
    '  hepq limit workspace.json --scan 0:5:21 --plot cls.png',
    '',
    "Run `hepq <command> --help` for a command's options and examples.",
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0]) return main([rest[0], '--help'], io);
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  // `hepq FILE…` opens the REPL on those files
  if (!entry && (/\.(root|parquet)$/i.test(name) || /^https?:\/\//.test(name) || existsSync(name)))
    return main(['repl', ...argv], io);
  if (!entry) {
    const guess = didYouMean(
      name,
      COMMANDS.map((c) => c.name),
    );
    io.err(`hepq: unknown command '${name}'${guess ? ` — did you mean '${guess}'?` : ''}\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof HepqError) {
      io.err(`${e.render()}\n`);
      return e.code === 'cli/cancelled' ? 130 : 1; // 128 + SIGINT, as a shell reports Ctrl-C
    }
    if (e instanceof Error && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${parseArgsMessage(name, e, command.help)}\n`);
      return 2;
    }
    // Anything else is a bug in hepq: say so, with the command to report, never a bare stack.
    const bug = HepqError.internal(`hepq ${name} failed unexpectedly`, e, ['hepq', name, ...rest].join(' '));
    const stack = process.env.HEPQ_DEBUG
      ? `${(e as Error)?.stack ?? e}\n`
      : '  (HEPQ_DEBUG=1 prints the stack)\n';
    io.err(`${bug.render()}\n${stack}`);
    return 70;
  }
}

/**
 * The process entry (bin/hepq.mjs): a command that may open a GPU runs as a child whose stderr is filtered of the
 * GPU stack's native messages (`--verbose` shows them), or — `hepq serve` — here behind an in-process filter
 * (the child again where that cannot be set up); everything else runs here.
 */
export async function cliEntry(argv: string[], binPath: string): Promise<number> {
  if (wantsFilter(argv)) return runFiltered(binPath, argv);
  if (filtersInProcess(argv) && !(await filterInProcess())) return runFiltered(binPath, argv);
  return main(childSetup(argv));
}

/**
 * Node's parseArgs errors in hepq's words: an unknown option with the nearest one the command has (from its help),
 * an option missing its value; the command's usage line, not its whole help.
 */
export function parseArgsMessage(name: string, e: Error, help: string): string {
  const code = (e as { code?: string }).code;
  const usage = help.split('\n').find((l) => l.startsWith('usage:')) ?? '';
  const more = `${usage}\n(hepq ${name} --help lists the options, with examples)`;
  const unknown = /Unknown option '([^']+)'/.exec(e.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const known = [...new Set(help.match(/--[a-z][a-z0-9-]*/g) ?? [])];
    const guess = didYouMean(unknown, known);
    return `hepq ${name}: unknown option '${unknown}'${guess ? ` — did you mean '${guess}'?` : ''}\n${more}`;
  }
  const missing = /Option '([^']+)' argument missing/.exec(e.message)?.[1];
  if (missing)
    return `hepq ${name}: ${missing.split(',').at(-1)!.trim().split(' ')[0]} needs a value\n${more}`;
  return `hepq ${name}: ${e.message.split('. ')[0]}\n${more}`;
}
