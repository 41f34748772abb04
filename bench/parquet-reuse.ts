// The direct Parquet reader with and without batch-lifetime buffer reuse (`ScanOptions.reuseBuffers`),
// interleaved (fresh, reuse, fresh, reuse, …): per column set of an ADL task, the ratio fresh ÷ reuse of the
// per-round scan times, median and range. The consumer touches every value of each batch (a sum), as a
// histogram fill would; the sums are checked equal between the variants before timing.
//
//   npx tsx bench/parquet-reuse.ts FILE [--reps 9]
import { parseArgs } from 'node:util';
import { openParquetTable } from '../connectors/parquet/index.js';
import type { Column } from '../exec/batch/index.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const { values, positionals } = parseArgs({
  options: { reps: { type: 'string', default: '9' } },
  allowPositionals: true,
});
const file = positionals[0];
if (!file) throw new Error('usage: npx tsx bench/parquet-reuse.ts FILE [--reps 9]');
const SETS: Record<string, string[]> = {
  q2: ['Jet_pt'],
  q3: ['Jet_pt', 'Jet_eta'],
  q5: ['MET_pt', 'nMuon', 'Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass', 'Muon_charge'],
};
const table = await openParquetTable(file);

function sum(c: Column): number {
  const v = c.kind === 'list' ? c.child : c;
  if (v.kind !== 'primitive') return 0;
  let s = 0;
  const a = v.values as ArrayLike<number>;
  for (let i = 0; i < a.length; i++) s += Number(a[i]);
  return s;
}
const scan = (columns: string[], reuse: boolean) => async () => {
  let s = 0;
  for await (const b of table.scan({ columns, ...(reuse ? { reuseBuffers: true } : {}) }))
    for (const c of b.columns) s += sum(c);
  return s;
};

console.log(
  `\n${file.split('/').pop()}: direct reader, fresh ÷ reuse buffers, ${values.reps} rounds interleaved`,
);
console.log('| columns of | fresh ms | reuse ms | fresh ÷ reuse (median, range) |');
console.log('|---|---|---|---|');
for (const [name, columns] of Object.entries(SETS)) {
  if ((await scan(columns, false)()) !== (await scan(columns, true)()))
    throw new Error(`${name}: sums differ`);
  const r = await interleaved(
    { fresh: scan(columns, false), reuse: scan(columns, true) },
    Number(values.reps),
  );
  console.log(
    `| ${name} | ${r.fresh.median.toFixed(0)} | ${r.reuse.median.toFixed(0)} | ${fmtRatio(ratio(r, 'fresh', 'reuse'))} |`,
  );
}
await table.close();
