/** `hepq dump FILE --tree PATH`: branches of a tree as rows in jsonl, json, csv, Arrow IPC or Parquet. */
import { parseArgs } from 'node:util';
import { openRoot, readableObjects, readObject } from '../../../connectors/root/index.js';
import { HepqError } from '../../../exec/batch/index.js';
import type { Command } from '../command.js';
import { type DumpFormat, encodeBatch } from '../encode.js';
import { emit, nonNegativeInt } from '../output.js';

const FORMATS: readonly DumpFormat[] = ['jsonl', 'json', 'csv', 'arrow', 'parquet', 'root'];

const help = `usage: hepq dump FILE --tree PATH [--branch NAME]... [--start N] [--stop N]
                 [--format jsonl|json|csv|arrow|parquet|root] [--out FILE]

Print the selected branches of entries [start, stop) as rows. With no --branch, every branch that can be
read is printed and those that cannot are named in a warning; a --branch that cannot be read is an error.
jsonl (default) writes one object per entry with jagged values as arrays; NaN and ±Infinity are written
as "NaN", "Infinity", "-Infinity", and 64-bit integers beyond 2^53 as strings. arrow, parquet and root
are binary: give --out (or redirect standard output); root writes a TTree 'Events' (zstd:5).

examples:
  hepq dump ../shared/data/root/uproot-HZZ.root --tree events --branch NJet --branch Jet_Px --stop 5
  hepq dump nano.root --tree Events --branch Muon_pt --format parquet --out muons.parquet
`;

/** One warning line naming the first skipped branches and their types. */
function skippedWarning(
  tree: string,
  read: number,
  skipped: readonly { name: string; rootType: string }[],
): string {
  const shown = skipped.slice(0, 5).map((b) => `${b.name} (${b.rootType})`);
  const more = skipped.length > shown.length ? ` and ${skipped.length - shown.length} more` : '';
  return (
    `hepq dump: warning: read ${read} branches of ${tree}, skipped ${skipped.length} that cannot be read yet: ` +
    `${shown.join(', ')}${more}; \`hepq inspect\` gives each reason\n`
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
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      io.err(`hepq dump: expected one FILE\n\n${help}`);
      return 2;
    }
    const format = values.format as DumpFormat;
    if (!FORMATS.includes(format)) {
      throw new HepqError('cli/bad-format', `unknown format '${values.format}'`, {
        hint: `use one of ${FORMATS.join(', ')}`,
      });
    }
    const int = nonNegativeInt;
    const file = await openRoot(positionals[0]!);
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
      const batch = await readObject(file, treePath, {
        branches: values.branch,
        start: int(values.start, 'start'),
        stop: int(values.stop, 'stop'),
      });
      // A dump of the whole tree reads what can be read and names what it skipped; a branch asked for by name
      // that cannot be read fails the dump (above, with the reason).
      if (!values.branch?.length) {
        const skipped = await file.refused(treePath);
        if (skipped.length) io.err(skippedWarning(treePath, batch.schema.fields.length, skipped));
      }
      const bytes = await encodeBatch(batch, format);
      await emit(bytes, values.out, io);
      return 0;
    } finally {
      await file.close();
    }
  },
};

export default command;
