/** `hepq sql 'SQL'` / `hepq sql --file script.sql`: SQL on the embedded DuckDB; the last statement's rows are printed. */
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { HepqError } from '../../../exec/batch/index.js';
import { Session } from '../../session.js';
import { encodeChunks, encodeResult, SQL_FORMATS, type SqlFormat } from '../../sql/index.js';
import type { Command } from '../command.js';
import { ProgressReporter } from '../progress.js';
import { URL_POLICY_HELP, URL_POLICY_OPTIONS, urlPrefixes } from '../url-options.js';

const help = `usage: hepq sql 'SQL' [--format table|json|jsonl|csv|arrow|parquet] [--out FILE] [--quiet]
                [--allow-url-prefix P]…
       hepq sql --file script.sql [--format …] [--out FILE]      (--file - reads standard input)

Run SQL on an embedded DuckDB. A script may hold several statements (macros, views, then a query): they
run in one session and the last statement's rows are printed. --format json prints a JSON array of row
objects; arrow (IPC stream) and parquet are binary: give --out or redirect standard output. On a terminal a
progress bar (DuckDB's rows scanned of the rows to scan) shows on standard error while it runs; --quiet hides it.

What SQL can read:
  root('file.root', 'Events')        a ROOT tree: branches as columns (jagged ones as LIST), NanoAOD
                                     groups as LIST(STRUCT) (Muon, Jet…) or STRUCT (MET); only the
                                     branches a query uses are read. Pass NULL as tree for the default.
  'file.parquet', read_parquet(…)    Parquet (and CSV, JSON) read by DuckDB itself
  read_arrow('file.arrow')           an Arrow IPC file or stream
  func_adl('query', 'file.root')     the rows of a func_adl or qastle query
  hypotest('ws.json', mu := 1.0), upper_limit('ws.json'), histfactory_fit('ws.json')
Functions: DeltaR(eta1, phi1, eta2, phi2), DeltaPhi, InvariantMass2/3, TransverseMass (the func_adl
ones), macros over structs delta_r(a, b), inv_mass(a, b), inv_mass3(a, b, c), p4(o), p4_add, p4_pt,
p4_eta, p4_phi, p4_mass, transverse_mass, delta_phi, and hist_bin(x, lo, hi, bins) / hist_index /
hist_index_edges(x, [edges]) (func_adl's binning).

URL inputs of root() and func_adl() (http(s) ROOT files):
${URL_POLICY_HELP}

examples:
  hepq sql "SELECT count(*) FROM root('nano.root', 'Events') WHERE nMuon >= 2"
  hepq sql "SELECT hist_bin(MET.pt, 0, 2000, 100) AS x, count(*) AS y FROM 'events.parquet' GROUP BY x ORDER BY x" --format csv
  hepq sql --file analysis.sql --format parquet --out result.parquet
`;

async function readStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        file: { type: 'string', short: 'f' },
        format: { type: 'string', default: 'table' },
        out: { type: 'string', short: 'o' },
        quiet: { type: 'boolean', short: 'q', default: false },
        ...URL_POLICY_OPTIONS,
      },
      allowPositionals: true,
    });
    const format = values.format as SqlFormat;
    if (!SQL_FORMATS.includes(format))
      throw new HepqError('cli/bad-format', `unknown format '${values.format}'`, {
        hint: `use one of ${SQL_FORMATS.join(', ')}`,
      });
    if ((values.file === undefined) === (positionals.length === 0) || positionals.length > 1) {
      io.err(`hepq sql: give the SQL as one argument or with --file, not both\n\n${help}`);
      return 2;
    }
    let text: string;
    if (values.file !== undefined) {
      try {
        text = values.file === '-' ? await readStdin() : await readFile(values.file, 'utf8');
      } catch (e) {
        throw new HepqError('cli/no-file', `cannot read ${values.file}: ${(e as Error).message}`, {
          location: { file: values.file },
        });
      }
    } else text = positionals[0]!;
    const redirectPrefixes = urlPrefixes(values);
    const session = new Session(redirectPrefixes ? { redirectPrefixes } : {});
    const progress = new ProgressReporter({ label: 'sql', quiet: values.quiet });
    // The bar goes once output starts (a streamed result on the same terminal must not be drawn over).
    let showing = progress.enabled;
    const onProgress = (p: { done: number; total: number; unit: string }) => {
      if (showing) progress.update(p);
    };
    const stopBar = () => {
      showing = false;
      progress.finish();
    };
    try {
      if (format === 'table' || format === 'parquet') {
        const result = await session.sql(text, { onProgress });
        stopBar();
        const bytes = await encodeResult(result, format);
        if (values.out) await writeFile(values.out, bytes);
        else if (typeof bytes === 'string') io.out(bytes);
        else process.stdout.write(bytes);
        return 0;
      }
      // Streamable formats go out chunk by chunk: an export of many rows is never all in memory.
      const stream = await session.sqlStream(text, { onProgress });
      stopBar();
      const body = encodeChunks(stream.schema, stream, format);
      if (values.out) await pipeline(body, createWriteStream(values.out));
      else if (format === 'arrow') await pipeline(body, process.stdout, { end: false });
      else
        for await (const part of body)
          io.out(typeof part === 'string' ? part : Buffer.from(part).toString('utf8'));
      return 0;
    } finally {
      stopBar();
      await session.close();
    }
  },
};

export default command;
