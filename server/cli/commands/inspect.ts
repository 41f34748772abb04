/** `hepq inspect FILE [--json]`: every object of a ROOT file, and each tree's branches with types and sizes. */
import { parseArgs } from 'node:util';
import { inspectWithRNTuples, openRoot } from '../../../connectors/root/index.js';
import type { Command } from '../command.js';
import { formatBytes } from '../format.js';
import { URL_POLICY_HELP, URL_POLICY_OPTIONS, urlPrefixes } from '../url-options.js';

const help = `usage: hepq inspect FILE [--json] [--allow-url-prefix P]...

List every object of a ROOT file (local path or http(s) URL): its path and class; for trees the entry
count and each branch's name, ROOT type, hepq column type, and compressed / uncompressed bytes.
Branches of types hepq cannot read yet are listed with the reason. A branch whose path an earlier branch
of the tree already has is listed as Particle;2 (its members as Particle;2/Particle.PT): the name to read
it by in hepq dump --branch, SQL and func_adl (e['Particle;2/Particle.PT']).

options:
  --json    print {"file", "objects": [{"path", "class", "entries", "branches": [...]}]}
${URL_POLICY_HELP}

examples:
  hepq inspect ../shared/data/root/NanoAODv5_sample.root
  hepq inspect events.root --json | jq '.objects[0].branches[] | select(.column == "unsupported")'
`;

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, ...URL_POLICY_OPTIONS },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      io.err(`hepq inspect: expected one FILE\n\n${help}`);
      return 2;
    }
    const redirectPrefixes = urlPrefixes(values);
    const file = await openRoot(positionals[0]!, redirectPrefixes ? { redirectPrefixes } : undefined);
    try {
      const info = await inspectWithRNTuples(file);
      if (values.json) {
        io.out(`${JSON.stringify(info)}\n`);
        return 0;
      }
      io.out(
        `${info.file}  (ROOT ${info.root_version}${info.big_file ? ', 64-bit header' : ''}, fCompress=${info.compression})\n`,
      );
      for (const o of info.objects) {
        if (!o.branches) {
          io.out(`  ${o.path}  ${o.class}\n`);
          continue;
        }
        const unsupported = o.branches.filter((b) => b.column === 'unsupported').length;
        io.out(
          `  ${o.path}  ${o.class}  ${o.entries} entries, ${o.branches.length} branches${unsupported ? ` (${unsupported} not readable yet)` : ''}\n`,
        );
        const w = Math.min(48, Math.max(...o.branches.map((b) => b.name.length), 4));
        const tw = Math.min(40, Math.max(...o.branches.map((b) => b.type.length), 9));
        // a header row, as uproot's show() and DuckDB's DESCRIBE have
        io.out(
          `    ${'branch'.padEnd(w)}  ${'ROOT type'.padEnd(tw)}  ${'column'.padEnd(20)} ${'compressed'.padStart(10)} / ${'in memory'.padEnd(9)}\n`,
        );
        for (const b of o.branches) {
          const sizes = `${formatBytes(b.compressed_bytes).padStart(10)} / ${formatBytes(b.uncompressed_bytes).padStart(9)}`;
          io.out(`    ${b.name.padEnd(w)}  ${b.type.padEnd(tw)}  ${b.column.padEnd(20)} ${sizes}\n`);
        }
      }
      return 0;
    } finally {
      await file.close();
    }
  },
};

export default command;
