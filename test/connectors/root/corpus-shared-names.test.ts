/**
 * Branches that share a path: uproot-issue513.root's two `Particle` collections (GenParticle, then Jet; uproot's
 * test_same_names), BDSIM's two `Primary.` samplers, uproot-issue443.root's two `hitEnd`. A read of the whole
 * tree gives each its own column: the first keeps the bare name, a later one is `Particle;2` and its members
 * `Particle;2/Particle.PT` — through the library, `hepq dump`, `hepq sql` and func_adl. References: jsroot's nth
 * branch of the path, and each collection's own `_size` counter. Opt-in: HEPQ_ROOT_CORPUS names
 * scikit-hep-testdata's data folder.
 */
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { basketRefs } from '../../../connectors/root/model/tree.js';
import { HepqError, valueAt } from '../../../exec/batch/index.js';
import { runCli } from '../../helpers/cli.js';
import { CORPUS_DIR as DIR, HAVE_CORPUS as HAVE } from '../../helpers/corpus.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';

const DELPHES = `${DIR}uproot-issue513.root`;
const BDSIM = `${DIR}uproot-issue399.root`;
const BDSIM_OBJECT = `${DIR}uproot-issue371.root`;

/** Float32 values compared as float32 (the dump prints them shortest, jsroot widens them exactly). */
const f32 = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(f32) : typeof v === 'number' ? Math.fround(v) : v;

/** jsroot's values of the nth (from 0) branch of a path (entries [0, stop)). */
async function jsroot(file: string, tree: string, path: string, nth: number, stop: number) {
  const values = await (await openJsrootTree(file, tree)).read(path, stop, nth);
  expect(values, `jsroot reads ${path} #${nth + 1}`).toHaveLength(stop);
  return values!.map((v) => f32(ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v));
}

/**
 * A whole read of `tree` has one column per branch that holds data (no split parent, none refused), each
 * named once and equal, entry by entry, to its branch read on its own.
 */
async function expectWholeReadIsEachBranch(file: string, tree: string): Promise<string[]> {
  const f = await openRoot(file);
  try {
    const t = await f.tree(tree);
    const batch = await f.read(tree);
    const names = batch.schema.fields.map((x) => x.name);
    expect(new Set(names).size).toBe(names.length);
    const refused = new Set((await f.refused(tree)).map((r) => r.name));
    const leaves = t.branches.filter((b) => b.branch.branches.length === 0 && !refused.has(b.name));
    // Every branch that holds data is a column; a split object whose members are columns too is left out.
    expect(names.filter((n) => t.info(n).branch.branches.length === 0)).toEqual(leaves.map((b) => b.name));
    for (const [i, name] of names.entries()) {
      const own = await t.readBranch(name);
      for (let e = 0; e < batch.length; e++)
        expect(valueAt(batch.columns[i]!, e), `${name} entry ${e}`).toEqual(valueAt(own, e));
    }
    // Arrow keeps them all (it would fold two columns of one name into one).
    expect((await f.arrow(tree)).numCols).toBe(names.length);
    return names;
  } finally {
    await f.close();
  }
}

describe.skipIf(!HAVE)('scikit-hep-testdata: branches that share a name', () => {
  it('the later branch of a path is named ;2, its members under it; the bare name is the first', async () => {
    const f = await openRoot(DELPHES);
    try {
      const t = await f.tree('Delphes');
      expect(new Set(t.branches.map((b) => b.name)).size).toBe(t.branches.length);
      expect(t.info('Particle').interpretation.rootType).toBe('TClonesArray(GenParticle)');
      expect(t.info('Particle;2').interpretation.rootType).toBe('TClonesArray(Jet)');
      expect(t.info('Particle;2/Particle.PT').branch.path).toBe('Particle/Particle.PT');
      // A member only the Jet collection has is under its name too.
      expect(t.info('Particle;2/Particle.TrimmedP4[5]').branch.parent).toBe(t.info('Particle;2').branch);
      // Entry 0: 2519 GenParticles, 201 jets (each collection's own `Particle_size`; jsroot agrees).
      expect(valueAt(await t.readBranch('Particle_size', { stop: 1 }), 0)).toBe(2519);
      expect(valueAt(await t.readBranch('Particle_size;2', { stop: 1 }), 0)).toBe(201);
      expect(await jsroot(DELPHES, 'Delphes', 'Particle_size', 1, 1)).toEqual([201]);
      expect(valueAt(await t.readBranch('Particle;2', { stop: 1 }), 0)).toHaveLength(201);
      const e = await t.readBranch('Particle;3').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(HepqError);
      expect((e as HepqError).code).toBe('root/no-such-branch');
      expect((e as HepqError).hint).toMatch(/did you mean 'Particle;2'\?/);
    } finally {
      await f.close();
    }
    const g = await openRoot(`${DIR}uproot-issue443.root`);
    try {
      // Two flat `hitEnd` branches (uproot's test_1189): both in the tree's schema, each under its own name.
      const names = (await g.tree('muonDataTree')).readable().map((b) => b.name);
      expect(names.filter((n) => n.startsWith('hitEnd'))).toEqual(['hitEnd', 'hitEnd;2']);
      expect((await g.read('muonDataTree')).schema.fields.map((x) => x.name)).toEqual(names);
    } finally {
      await g.close();
    }
  });

  it("a whole read of issue513's Delphes tree: each column is its own branch's, the second Particle's too", async () => {
    const names = await expectWholeReadIsEachBranch(DELPHES, 'Delphes');
    expect(names).toHaveLength(283);
    expect(names).toEqual(expect.arrayContaining(['Particle/Particle.PT', 'Particle;2/Particle.PT']));
    const f = await openRoot(DELPHES);
    try {
      const batch = await f.read('Delphes');
      const col = (n: string) => batch.columns[batch.schema.fields.findIndex((x) => x.name === n)]!;
      expect(valueAt(col('Particle/Particle.PT'), 0)).toHaveLength(2519);
      expect(valueAt(col('Particle;2/Particle.PT'), 0)).toHaveLength(201);
      // The second collection's PT as jsroot reads the second `Particle/Particle.PT` (GenParticle's is the first).
      const pt = Array.from({ length: batch.length }, (_, e) =>
        f32(valueAt(col('Particle;2/Particle.PT'), e)),
      );
      expect(pt).toEqual(await jsroot(DELPHES, 'Delphes', 'Particle/Particle.PT', 1, batch.length));
    } finally {
      await f.close();
    }
  });

  it('hepq dump of the whole Delphes tree prints both collections, each by its own name', async () => {
    const run = await runCli('dump', DELPHES, '--tree', 'Delphes', '--stop', '3');
    expect(run.code).toBe(0);
    const rows = run.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0]!)).toHaveLength(283);
    expect(rows.map((r) => (r['Particle/Particle.PT'] as unknown[]).length)).toEqual(
      rows.map((r) => r.Particle_size),
    );
    expect(rows.map((r) => (r['Particle;2/Particle.PT'] as unknown[]).length)).toEqual(
      rows.map((r) => r['Particle_size;2']),
    );
    expect(rows.map((r) => r['Particle_size;2'])).toEqual(
      await jsroot(DELPHES, 'Delphes', 'Particle_size', 1, 3),
    );
    expect(rows.map((r) => f32(r['Particle;2/Particle.Eta']))).toEqual(
      await jsroot(DELPHES, 'Delphes', 'Particle/Particle.Eta', 1, 3),
    );
    // Asked for by name: the same values, and the whole collection as records.
    const one = await runCli(
      'dump',
      DELPHES,
      '--tree',
      'Delphes',
      '--stop',
      '3',
      '--branch',
      'Particle;2/Particle.PT',
    );
    expect(
      one.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(rows.map((r) => ({ 'Particle;2/Particle.PT': r['Particle;2/Particle.PT'] })));
    const whole = await runCli('dump', DELPHES, '--tree', 'Delphes', '--stop', '1', '--branch', 'Particle;2');
    const jets = (JSON.parse(whole.out) as { 'Particle;2': { PT: number }[] })['Particle;2'];
    expect(jets.map((j) => j.PT)).toEqual(rows[0]!['Particle;2/Particle.PT']);
  });

  it('hepq sql and func_adl reach both collections by their names', async () => {
    const sizes = [
      await jsroot(DELPHES, 'Delphes', 'Particle_size', 0, 10),
      await jsroot(DELPHES, 'Delphes', 'Particle_size', 1, 10),
    ];
    const sql = await runCli(
      'sql',
      `SELECT len("Particle/Particle.PT") AS n1, len("Particle;2/Particle.PT") AS n2, "Particle_size;2" AS s2 ` +
        `FROM root('${DELPHES}', 'Delphes')`,
      '--format',
      'json',
    );
    expect(sql.code).toBe(0);
    const got = JSON.parse(sql.out) as { n1: number; n2: number; s2: number }[];
    expect([got.map((r) => r.n1), got.map((r) => r.n2)]).toEqual(sizes);
    expect(got.map((r) => r.s2)).toEqual(sizes[1]);
    const star = await runCli(
      'sql',
      `SELECT * FROM root('${DELPHES}', 'Delphes') LIMIT 1`,
      '--format',
      'json',
    );
    const row = (JSON.parse(star.out) as Record<string, unknown[]>[])[0]!;
    expect([row['Particle/Particle.PT']!.length, row['Particle;2/Particle.PT']!.length]).toEqual([2519, 201]);
    const q =
      `EventDataset('${DELPHES}', 'Delphes').Select(lambda e: ` +
      `{'n1': e['Particle/Particle.PT'].Count(), 'n2': e['Particle;2/Particle.PT'].Count()})`;
    const fadl = await runCli('query', q, '--format', 'json');
    expect(fadl.code).toBe(0);
    const rows = JSON.parse(fadl.out) as { n1: number; n2: number }[];
    expect([rows.map((r) => r.n1), rows.map((r) => r.n2)]).toEqual(sizes);
  });

  it("a BDSIM file (issue399): the second Primary. sampler's members are columns of their own", async () => {
    const names = await expectWholeReadIsEachBranch(BDSIM, 'Event');
    const shared = names.filter((n) => n.startsWith('Primary.;2/'));
    expect(shared).toHaveLength(names.filter((n) => n.startsWith('Primary./')).length);
    expect(shared).toContain('Primary.;2/Primary.energy');
    const run = await runCli('dump', BDSIM, '--tree', 'Event');
    const rows = run.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(rows[0]!)).toEqual(names);
    expect(rows.map((r) => f32(r['Primary.;2/Primary.energy']))).toEqual(
      await jsroot(BDSIM, 'Event', 'Primary./Primary.energy', 1, 10),
    );
    const sql = await runCli(
      'sql',
      `SELECT "Primary.;2/Primary.n" AS n FROM root('${BDSIM}', 'Event')`,
      '--format',
      'json',
    );
    expect((JSON.parse(sql.out) as { n: number }[]).map((r) => r.n)).toEqual(
      await jsroot(BDSIM, 'Event', 'Primary./Primary.n', 1, 10),
    );
    // issue371: the second `Primary.` is one unsplit object; a whole read gives it its own type and values.
    await expectWholeReadIsEachBranch(BDSIM_OBJECT, 'Event');
    const f = await openRoot(BDSIM_OBJECT);
    try {
      const t = await f.tree('Event');
      expect([
        t.info('Primary.').interpretation.interp.kind,
        t.info('Primary.;2').interpretation.interp.kind,
      ]).toEqual(['split', 'object']);
      expect(t.readable().map((b) => b.name)).toContain('Primary.;2');
    } finally {
      await f.close();
    }
  });

  it("a damaged basket of the second sampler fails a whole read, located at that branch's basket", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hepq-shared-names-'));
    try {
      const copy = join(dir, 'issue399-damaged.root');
      copyFileSync(BDSIM, copy);
      const f = await openRoot(BDSIM);
      const ref = basketRefs((await f.tree('Event')).info('Primary.;2/Primary.energy').branch)[0]!;
      await f.close();
      // The basket key's byte count (its first 4 bytes) made smaller than the key itself.
      const fd = openSync(copy, 'r+');
      writeSync(fd, Uint8Array.of(0, 0, 0, 7), 0, 4, ref.seek);
      closeSync(fd);
      const d = await openRoot(copy);
      try {
        const e = await d.read('Event').catch((x: unknown) => x);
        expect(e).toBeInstanceOf(HepqError);
        expect((e as HepqError).location).toEqual({
          file: copy,
          object: 'Event/Primary.;2/Primary.energy (basket 0)',
          offset: ref.seek,
        });
        // The first sampler's branch of that path reads as before.
        const first = await (await d.tree('Event')).readBranch('Primary./Primary.energy');
        expect([f32(valueAt(first, 0))]).toEqual(
          await jsroot(BDSIM, 'Event', 'Primary./Primary.energy', 0, 1),
        );
      } finally {
        await d.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
