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

Print the selected branches (all readable ones when none is named) of entries [start, stop) as rows.
jsonl (default) writes one object per entry with jagged values as arrays; NaN and ±Infinity are written
as "NaN", "Infinity", "-Infinity", and 64-bit integers beyond 2^53 as strings. arrow, parquet and root
are binary: give --out (or redirect standard output); root writes a TTree 'Events' (zstd:5).

examples:
  hepq dump ../shared/data/root/uproot-HZZ.root --tree events --branch NJet --branch Jet_Px --stop 5
  hepq dump nano.root --tree Events --branch Muon_pt --format parquet --out muons.parquet
`;

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
      const bytes = await encodeBatch(batch, format);
      await emit(bytes, values.out, io);
      return 0;
    } finally {
      await file.close();
    }
  },
};

export default command;
