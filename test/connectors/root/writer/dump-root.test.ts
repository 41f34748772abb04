/** `hepq dump --format root`: branches of a real file rewritten as a TTree, read back equal to the source. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../../connectors/root/index.js';
import { valueAt } from '../../../../exec/batch/index.js';
import { main } from '../../../../server/cli/main.js';
import { openJsrootTree } from '../../../helpers/jsroot-reference.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../../helpers/shared-data.js';

describe.skipIf(!HAVE_ROOT_DATA)('hepq dump --format root', () => {
  it('rewrites HZZ branches (counters NJet/NMuon become leaf counts) with the same values', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hepq-dump-root-')), 'hzz.root');
    const branches = ['NJet', 'Jet_Px', 'Jet_E', 'NMuon', 'Muon_Px', 'MET_px', 'EventWeight', 'Jet_ID'];
    const io = { out: () => {}, err: (t: string) => process.stderr.write(t) };
    const args = [
      'dump',
      `${ROOT_DATA}uproot-HZZ.root`,
      '--tree',
      'events',
      '--format',
      'root',
      '--out',
      out,
    ];
    expect(await main([...args, ...branches.flatMap((b) => ['--branch', b])], io)).toBe(0);
    const src = await openRoot(`${ROOT_DATA}uproot-HZZ.root`);
    const dst = await openRoot(out);
    try {
      const types = Object.fromEntries(
        (await dst.inspect()).objects[0]!.branches!.map((b) => [b.name, b.type]),
      );
      expect(types).toMatchObject({
        NJet: 'int32_t',
        Jet_Px: 'float[]',
        Muon_Px: 'float[]',
        Jet_ID: 'bool[]',
      });
      const a = await (await src.tree('events')).read(branches, {});
      const b = await (await dst.tree('Events')).read(branches, {});
      expect(b.length).toBe(a.length);
      const ref = await openJsrootTree(out, 'Events');
      for (const [k, name] of branches.entries()) {
        const want = Array.from({ length: a.length }, (_, e) => valueAt(a.columns[k]!, e));
        expect(
          Array.from({ length: b.length }, (_, e) => valueAt(b.columns[k]!, e)),
          name,
        ).toEqual(want);
        const plain = (v: unknown): unknown =>
          ArrayBuffer.isView(v) || Array.isArray(v)
            ? Array.from(v as ArrayLike<unknown>, plain)
            : typeof v === 'boolean'
              ? Number(v)
              : v;
        expect((await ref.read(name))!.map(plain), `jsroot ${name}`).toEqual(want.map(plain));
      }
    } finally {
      await src.close();
      await dst.close();
    }
  });
});
