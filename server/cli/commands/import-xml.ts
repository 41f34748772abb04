/** `hepq import-xml COMBINATION.xml`: HistFactory XML + ROOT histograms → a pyhf-format JSON workspace. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openRoot, readHistogram } from '../../../connectors/root/index.js';
import { HepqError } from '../../../exec/batch/index.js';
import { type HistogramReader, importHistFactoryXml } from '../../../stats/index.js';
import type { Command } from '../command.js';

const help = `usage: hepq import-xml COMBINATION.xml [--basedir DIR] [--output FILE]

Reads a HistFactory XML configuration (the top-level <Combination> file and the <Channel> files it lists) and the
ROOT histograms it names, and writes the equivalent workspace in pyhf's JSON format (validated).

options:
  --basedir DIR     directory the paths in the XML are relative to (default: tried in the XML's folder and its parent)
  --output FILE     write the workspace there instead of printing it

examples:
  hepq import-xml ../shared/data/stats/xml_inputs/multibin_histfactory/config/example.xml > ws.json
  hepq import-xml config/example.xml --basedir . --output ws.json && hepq fit ws.json
`;

type Handle = Awaited<ReturnType<typeof openRoot>>;

/** Reads 1D histograms through hepq's ROOT reader, keeping each file open until `close()`. */
export function rootHistogramReader(): { read: HistogramReader; close(): Promise<void> } {
  const files = new Map<string, Promise<Handle>>();
  return {
    async read(file, path) {
      let h = files.get(file);
      if (!h) {
        h = openRoot(file);
        files.set(file, h);
      }
      const batch = await readHistogram(await h, path);
      const col = (name: string) => {
        const i = batch.schema.fields.findIndex((f) => f.name === name);
        const c = batch.columns[i];
        if (c?.kind !== 'primitive')
          throw new HepqError('stats/xml', `${file}:${path} has no '${name}' column`);
        return c.values;
      };
      if (batch.schema.fields.some((f) => f.name === 'y_bin'))
        throw new HepqError('stats/xml', `${file}:${path} is not a 1D histogram`);
      const content = col('content');
      const sumw2 = col('sumw2');
      const n = batch.length - 2; // drop under- and overflow
      return {
        content: Array.from(content.subarray(1, n + 1), Number),
        sumw2: Array.from(sumw2.subarray(1, n + 1), Number),
      };
    },
    async close() {
      for (const h of files.values()) await (await h).close();
    },
  };
}

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { basedir: { type: 'string' }, output: { type: 'string', short: 'o' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      io.err(`hepq import-xml: expected one COMBINATION.xml\n\n${help}`);
      return 2;
    }
    const reader = rootHistogramReader();
    try {
      const ws = await importHistFactoryXml(positionals[0]!, {
        basedir: values.basedir,
        readHistogram: reader.read,
      });
      const text = `${JSON.stringify(ws.spec, null, 1)}\n`;
      if (values.output) writeFileSync(values.output, text);
      else io.out(text);
      return 0;
    } finally {
      await reader.close();
    }
  },
};

export default command;
