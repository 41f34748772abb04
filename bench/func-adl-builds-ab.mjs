// func_adl queries over a synthetic ADL table, two builds in one process, interleaved rounds (median and the
// spread of the per-round ratios). BASE is another build's dist/ (e.g. `git archive <commit> | tar -x -C
// /tmp/base`, node_modules linked, `node scripts/build.mjs` there); this worktree's dist/ is the other.
//
//   BASE=/tmp/base/dist node bench/func-adl-builds-ab.mjs [rounds=11]
import { join, resolve } from 'node:path';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

if (!process.env.BASE) {
  console.error('set BASE to the dist/ directory of the build to compare against');
  process.exit(1);
}
const A = await import(join(resolve(process.env.BASE), 'index.js'));
const B = await import('../dist/index.js');
const files = ['synthetic:adl?events=200000&seed=7&batch=10000'];
const QUERIES = [
  'Where(lambda e: e.nJet >= 2).Count()',
  "Where(lambda e: e.nJet >= 2).Select(lambda e: {'pt': e.Jet_pt, 'n': e.nJet})",
];
const sa = new A.Session();
const sb = new B.Session();
for (const q of QUERIES) {
  const r = await interleaved(
    { base: () => sa.query(q, { files }), this: () => sb.query(q, { files }) },
    Number(process.argv[2] ?? 11),
  );
  console.log(
    `${q}: base ${r.base.median.toFixed(1)} ms, this ${r.this.median.toFixed(1)} ms, base/this ${fmtRatio(ratio(r, 'base', 'this'))}`,
  );
}
await sa.close();
await sb.close();
