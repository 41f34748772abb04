/** `hepq demo`: the main job on built-in defaults — until the full demo exists, inspect and read a real NanoAOD file. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openRoot } from '../../../connectors/root/index.js';
import type { Command } from '../command.js';

/** The sample beside the repository: walk up from this module to the package root, then to ../shared. */
function defaultFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, '..', 'shared', 'data', 'root', 'NanoAODv5_sample.root');
}

const help = `usage: hepq demo [--file FILE] [--tree Events]

The main job on built-in defaults: opens a CMS NanoAOD file (by default ../shared/data/root/NanoAODv5_sample.root
beside the repository), lists its trees, reads every readable branch of the Events tree, and prints a dimuon
summary (events with two opposite-charge muons) and the read throughput.
`;

const command: Command = {
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { file: { type: 'string' }, tree: { type: 'string', default: 'Events' } },
    });
    const path = values.file ?? defaultFile();
    if (!existsSync(path) && !/^https?:/.test(path)) {
      io.err(
        `hepq demo: needs a NanoAOD file; ${path} is absent.\nGive one with --file FILE (any CMS NanoAOD), or run from a checkout with ../shared/data beside it.\n`,
      );
      return 2;
    }
    const t0 = performance.now();
    const file = await openRoot(path);
    try {
      const tree = await file.tree(values.tree!);
      const t1 = performance.now();
      io.out(
        `${file.name}\n  ${tree.path}: ${tree.entries} entries, ${tree.branches.length} branches (metadata in ${(t1 - t0).toFixed(1)} ms)\n`,
      );
      const readable = tree.readable();
      let bytes = 0;
      for (const b of readable) bytes += b.uncompressedBytes;
      const batch = await tree.read(readable.map((b) => b.name));
      const t2 = performance.now();
      io.out(
        `  read ${readable.length} branches, ${(bytes / 1e6).toFixed(1)} MB decoded in ${(t2 - t1).toFixed(0)} ms (${(bytes / 1e6 / ((t2 - t1) / 1000)).toFixed(0)} MB/s)\n`,
      );
      const idx = (n: string) => batch.schema.fields.findIndex((f) => f.name === n);
      const nMuon = batch.columns[idx('nMuon')];
      const charge = batch.columns[idx('Muon_charge')];
      if (nMuon?.kind === 'primitive' && charge?.kind === 'list' && charge.child.kind === 'primitive') {
        let pairs = 0;
        for (let e = 0; e < batch.length; e++) {
          const s = charge.offsets[e]!;
          if (
            Number(nMuon.values[e]) >= 2 &&
            Number(charge.child.values[s]) * Number(charge.child.values[s + 1]) < 0
          )
            pairs++;
        }
        io.out(
          `  events with >= 2 muons whose leading two have opposite charge: ${pairs} of ${batch.length}\n`,
        );
      }
      return 0;
    } finally {
      await file.close();
    }
  },
};

export default command;
