/** `hepq dump FILE --tree PATH`: branches of a tree as rows in jsonl, json, csv, Arrow IPC or Parquet. */
import { parseArgs } from 'node:util';
import {
  openRoot,
  openRootOrRNTupleTable,
  readableObjects,
  readObject,
} from '../../../connectors/root/index.js';
import { didYouMean, HepqError, type JsValue } from '../../../exec/batch/index.js';
import { globRegExp, isGlob } from '../../../exec/core/index.js';
import { type DumpFormat, encodeBatch } from '../../output/encode.js';
import { renderTable } from '../../repl/table.js';
import type { Command } from '../command.js';
import { emit, nonNegativeInt } from '../output.js';
import { URL_POLICY_HELP, URL_POLICY_OPTIONS, urlPrefixes } from '../url-options.js';

const FORMATS: readonly (DumpFormat | 'table')[] = [
  'jsonl',
  'json',
  'csv',
  'table',
  'arrow',
  'parquet',
  'root',
];

/** `Muon_*` → the branch names it matches, in the tree's order (a name without * or ? is kept as given). */
export function expandBranches(patterns: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    if (!isGlob(p)) {
      out.push(p);
      continue;
    }
    const re = globRegExp(p, { slashes: true });
    const hits = names.filter((n) => re.test(n));
    if (hits.length === 0) {
      const guess = didYouMean(p.replace(/[*?]/g, ''), names);
      throw new HepqError('cli/no-branch-match', `no branch matches '${p}'`, {
        hint: guess
          ? `did you mean '${guess}'?`
          : `the tree has ${names.length} branches: hepq inspect FILE lists them`,
      });
    }
    out.push(...hits);
  }
  return [...new Set(out)];
}

const help = `usage: hepq dump FILE --tree PATH [--branch NAME|GLOB]... [--start N] [--stop N]
                 [--format jsonl|json|csv|table|arrow|parquet|root] [--out FILE] [--allow-url-prefix P]...

Print the selected branches of entries [start, stop) as rows. With no --branch, every branch that can be
read is printed and those that cannot are named in a warning; a --branch that cannot be read is an error.
jsonl (default) writes one object per entry with jagged values as arrays; NaN and ±Infinity are written
as "NaN", "Infinity", "-Infinity", and 64-bit integers beyond 2^53 as strings. arrow, parquet and root
are binary: give --out (or redirect standard output); root writes a TTree 'Events' (zstd:5). table prints an
aligned table (default on a terminal is still jsonl). --branch takes globs: --branch 'Muon_*'.
Branch names are '/'-joined paths; where a tree holds two branches of one path (Delphes' two Particle
collections), the bare name is the first and the later one is named with ;2 (;3, …) after its own name, its
members under it: --branch 'Particle;2/Particle.PT' (hepq inspect lists every name).
FILE may be an http(s) URL:
${URL_POLICY_HELP}

examples:
  hepq dump ../shared/data/root/uproot-HZZ.root --tree events --branch NJet --branch Jet_Px --stop 5
  hepq dump nano.root --tree Events --branch Muon_pt --format parquet --out muons.parquet
  hepq dump nano.root --tree Events --branch 'Muon_*' --stop 10 --format table
`;

/** One warning line naming the first skipped branches and their types. */
function skippedWarning(
  tree: string,
  read: number,
  skipped: readonly { name: string; rootType: string; noData?: true }[],
): string {
  const list = (some: readonly { name: string; rootType: string }[]) => {
    const shown = some.slice(0, 5).map((b) => `${b.name} (${b.rootType})`);
    return `${shown.join(', ')}${some.length > shown.length ? ` and ${some.length - shown.length} more` : ''}`;
  };
  const unread = skipped.filter((b) => !b.noData);
  const empty = skipped.filter((b) => b.noData);
  const parts = [
    ...(unread.length ? [`${unread.length} that cannot be read yet: ${list(unread)}`] : []),
    // xAOD interface objects and empty base classes: their data, if any, are in other branches.
    ...(empty.length ? [`${empty.length} that hold no data of their own: ${list(empty)}`] : []),
  ];
  return (
    `hepq dump: warning: read ${read} branches of ${tree}, skipped ` +
    `${parts.length > 1 ? `${skipped.length}: ` : ''}${parts.join('; ')}; ` +
    `\`hepq inspect\` gives each reason\n`
  );
}

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        tree: { type: 'string' },
        branch: { type: 'string', multiple: true },
        start: { type: 'string' },
        stop: { type: 'string' },
        format: { type: 'string', default: 'jsonl' },
        out: { type: 'string' },
        ...URL_POLICY_OPTIONS,
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      io.err(`hepq dump: expected one FILE\n\n${help}`);
      return 2;
    }
    const format = values.format as DumpFormat | 'table';
    if (!FORMATS.includes(format)) {
      throw new HepqError('cli/bad-format', `unknown format '${values.format}'`, {
        hint: `use one of ${FORMATS.join(', ')}`,
      });
    }
    const int = nonNegativeInt;
    const redirectPrefixes = urlPrefixes(values);
    const sourceOptions = redirectPrefixes ? { redirectPrefixes } : undefined;
    const file = await openRoot(positionals[0]!, sourceOptions);
    try {
      let treePath = values.tree;
      if (!treePath) {
        const trees = await readableObjects(file);
        if (trees.length !== 1) {
          throw new HepqError('cli/no-tree', 'which tree? give --tree PATH', {
            hint: `trees in this file: ${trees.join(', ') || 'none'}`,
          });
        }
        treePath = trees[0]!;
      }
      let branches = values.branch;
      if (branches?.some((b) => /[*?]/.test(b))) {
        const table = await openRootOrRNTupleTable(positionals[0]!, treePath, sourceOptions);
        try {
          branches = expandBranches(
            branches,
            table.schema().fields.map((f) => f.name),
          );
        } finally {
          await table.close();
        }
      }
      const batch = await readObject(file, treePath, {
        branches,
        start: int(values.start, 'start'),
        stop: int(values.stop, 'stop'),
      });
      // A dump of the whole tree reads what can be read and names what it skipped; a branch asked for by name
      // that cannot be read fails the dump (above, with the reason).
      if (!values.branch?.length) {
        const skipped = await file.refused(treePath);
        if (skipped.length) io.err(skippedWarning(treePath, batch.schema.fields.length, skipped));
      }
      const bytes =
        format === 'table'
          ? `${renderTable(JSON.parse((await encodeBatch(batch, 'json')) as string) as JsValue[], 'dict', process.stdout.columns ?? 120, Number.MAX_SAFE_INTEGER)}\n`
          : await encodeBatch(batch, format);
      await emit(bytes, values.out, io);
      return 0;
    } finally {
      await file.close();
    }
  },
};

export default command;
