// The Parquet connector's two readers on the same file and columns, interleaved: the direct decoder
// (connectors/parquet/pages.ts) against parquet-wasm (decode in WebAssembly, then an Arrow IPC copy). Every
// batch is checked equal between the two before timing. Ratio = parquet-wasm time ÷ direct time.
//
//   npx tsx bench/parquet-readers.ts FILE.parquet [--columns Jet_pt,Jet_eta,…] [--reps 5]
import { parseArgs } from 'node:util';
import { openParquetTable, type ParquetTable } from '../connectors/parquet/index.js';
import { type Batch, valueAt } from '../exec/batch/index.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    columns: {
      type: 'string',
      default:
        'MET_pt,nJet,Jet_pt,Jet_eta,Jet_phi,Jet_mass,Jet_btag,nMuon,Muon_pt,Muon_eta,Muon_phi,Muon_mass,Muon_charge,Muon_tightId,event,HLT_IsoMu24',
    },
    reps: { type: 'string', default: '5' },
  },
});
const file = positionals[0];
if (!file) throw new Error('usage: npx tsx bench/parquet-readers.ts FILE.parquet [--columns …] [--reps N]');
const columns = values.columns.split(',');
const direct = await openParquetTable(file);
const wasm = await openParquetTable(file, { reader: 'parquet-wasm' });
if (direct.readerFor(columns) !== 'direct') throw new Error('the direct reader does not cover these columns');

const scan = async (t: ParquetTable, keep: boolean) => {
  const out: Batch[] = [];
  for await (const b of t.scan({ columns }) as AsyncIterable<Batch>) if (keep) out.push(b);
  return out;
};
const text = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
const [a, b] = [await scan(direct, true), await scan(wasm, true)];
if (a.length !== b.length) throw new Error('the readers give different numbers of batches');
for (const [i, x] of a.entries())
  for (const [k, c] of x.columns.entries())
    for (let r = 0; r < x.length; r++)
      if (text(valueAt(c, r)) !== text(valueAt(b[i]!.columns[k]!, r)))
        throw new Error(`${columns[k]} differs at batch ${i} row ${r}`);

const r = await interleaved(
  { direct: () => scan(direct, false), wasm: () => scan(wasm, false) },
  Number(values.reps),
);
console.log(
  `${file}: ${columns.length} columns, ${a.reduce((n, x) => n + x.length, 0)} rows, equal in both readers`,
);
console.log(
  `direct ${r.direct.median.toFixed(0)} ms, parquet-wasm ${r.wasm.median.toFixed(0)} ms: parquet-wasm ÷ direct ${fmtRatio(ratio(r, 'wasm', 'direct'))}`,
);
await Promise.all([direct.close(), wasm.close()]);
