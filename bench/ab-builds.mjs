// A/B of two builds of the ROOT reader in one process, alternating rounds, CPU time of the process (robust on a
// loaded machine) and wall time: `tree.read` of every flat branch of the NanoAODv5 sample, or (EACH=1) each
// branch by `readBranch`. BASE is another build's dist/ (e.g. `git worktree add /tmp/base <commit>` there, then
// `npm run build`, or a copy of an earlier dist/ under bench/out/ so node_modules resolve).
//
//   BASE=bench/out/dist-base node bench/ab-builds.mjs      (REPS=N rounds, K=N reads per round, EACH=1)
import { join, resolve } from 'node:path';

if (!process.env.BASE) {
  console.error('set BASE to the dist/ directory of the build to compare against');
  process.exit(1);
}
const A = await import(join(resolve(process.env.BASE), 'index.js'));
const B = await import('../dist/index.js');
const FILE = process.env.FILE ?? join(import.meta.dirname, '../../shared/data/root/NanoAODv5_sample.root');
const K = Number(process.env.K ?? 10);
const REPS = Number(process.env.REPS ?? 9);
const mk = async (M) => {
  const h = await M.openRoot(FILE);
  const t = await h.tree('Events');
  const names = t
    .readable()
    .filter((b) => b.interpretation.type?.kind === 'primitive')
    .map((b) => b.name);
  return async () => {
    for (let i = 0; i < K; i++)
      if (process.env.EACH) for (const n of names) await t.readBranch(n);
      else await t.read(names);
  };
};
const v = { base: await mk(A), new: await mk(B) };
const cpu = { base: [], new: [] };
const wall = { base: [], new: [] };
for (const k of ['base', 'new']) await v[k](); // warm-up
for (let r = 0; r < REPS; r++)
  for (const k of ['base', 'new']) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await v[k]();
    const c = process.cpuUsage(c0);
    cpu[k].push((c.user + c.system) / 1e3 / K);
    wall[k].push((performance.now() - t0) / K);
  }
const med = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
const rs = cpu.base.map((b, i) => b / cpu.new[i]).sort((a, b) => a - b);
console.log(
  `${process.env.EACH ? 'readBranch each' : 'tree.read(all flat)'}, per read: CPU ms base ${med(cpu.base).toFixed(1)}, new ${med(cpu.new).toFixed(1)}; new is ${med(rs).toFixed(2)}× faster (${rs[0].toFixed(2)}–${rs.at(-1).toFixed(2)}); wall ms base ${med(wall.base).toFixed(1)}, new ${med(wall.new).toFixed(1)}`,
);
