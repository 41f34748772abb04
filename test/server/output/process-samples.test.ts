// `hepq generate --process`: single-process samples with a truth label and their cross section in the file,
// kinematics in which the AGC regions hold background and the trijet mass peaks at the generated top mass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFile } from 'jsroot';
import { afterAll, describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import {
  generateEvents,
  PROCESSES,
  type SYNTHETIC_PROCESSES,
  TOP_MASS,
} from '../../../connectors/synthetic/index.js';
import { selectHistograms } from '../../../exec/index.js';
import { AGC_QUERY } from '../../../server/agc/agc-query.js';
import { Session, writeRoot } from '../../../server/index.js';
import { runCli } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hepq-process-'));
const session = new Session({ threads: 1 });
afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sample(
  process: (typeof SYNTHETIC_PROCESSES)[number],
  events: number,
  seed = 5,
): Promise<string> {
  const file = join(dir, `${process}-${events}-${seed}.root`);
  await writeRoot(file, generateEvents({ schema: 'nanoaod', events, seed, process }), {
    tree: 'Events',
    metadata: { process, xsec_pb: PROCESSES[process].xsec },
  });
  return file;
}

const PARAMS = { xsec: 1, lumi: 1, nevts: 1, seed: 42 };

describe('single-process samples', () => {
  it('label every event with the truth code of its process and store the cross section in the file', async () => {
    for (const p of ['ttbar', 'wjets', 'single_top_t'] as const) {
      const file = await sample(p, 2000);
      const r = await session.query('EventDataset().Select(lambda e: e.truth_process)', { files: [file] });
      if (r.kind !== 'rows') throw new Error('rows expected');
      const codes = new Set(r.batches.flatMap((b) => [...(b.columns[0] as { values: Int32Array }).values]));
      expect([...codes]).toEqual([PROCESSES[p].code]);
      const handle = await openRoot(file);
      expect(await handle.metadata()).toEqual({ process: p, xsec_pb: PROCESSES[p].xsec });
      await handle.close();
      // ROOT's own JavaScript reader sees the same TNamed.
      const named = await (await openFile(file)).readObject('hepq_metadata');
      expect(named._typename).toBe('TNamed');
      expect(JSON.parse(named.fTitle)).toEqual({ process: p, xsec_pb: PROCESSES[p].xsec });
    }
  });

  it('fill the AGC regions with background: W+jets and single top reach ≥ 4 jets with a b tag', async () => {
    for (const p of ['wjets', 'single_top_t', 'single_top_tW'] as const) {
      const r = await session.query(AGC_QUERY, { files: [await sample(p, 20000)], params: PARAMS });
      if (r.kind !== 'histograms') throw new Error('histograms expected');
      const [h] = selectHistograms(r.histograms, { region: '4j1b', variation: 'nominal' });
      expect(
        h!.counts.reduce((a, c) => a + c, 0),
        p,
      ).toBeGreaterThan(5);
    }
  });

  it('put the b-tagged trijet mass of tt̄ events at the generated top mass', async () => {
    // 4-GeV bins over 100–260 GeV; the mode of a 5-bin running mean (the jet resolution is ~10%).
    const q = AGC_QUERY.replace('bins=25, range=(50, 550)', 'bins=40, range=(100, 260)');
    const r = await session.query(q, { files: [await sample('ttbar', 30000, 3)], params: PARAMS });
    if (r.kind !== 'histograms') throw new Error('histograms expected');
    const h = selectHistograms(r.histograms, { region: '4j2b', variation: 'nominal' })[0]!;
    const smooth = h.counts.map((_c, i) => {
      const w = h.counts.slice(Math.max(0, i - 2), i + 3);
      return w.reduce((a, c) => a + c, 0) / w.length;
    });
    const mode = smooth.indexOf(Math.max(...smooth));
    const centre = (h.edges[mode]! + h.edges[mode + 1]!) / 2;
    expect(Math.abs(centre - TOP_MASS)).toBeLessThan(12);
  });

  it('store the cross section in a Parquet file too (read by DuckDB)', async () => {
    const out = join(dir, 'st.parquet');
    const r = await runCli(
      'generate',
      '--process',
      'single_top_tW',
      '--events',
      '300',
      '--out',
      out,
      '--quiet',
    );
    expect(r.code, r.err).toBe(0);
    const kv = await session.sql(
      `SELECT decode(value) FROM parquet_kv_metadata('${out}') WHERE decode(key) = 'hepq_metadata'`,
    );
    const md = JSON.parse(String(kv.columns[0]![0])) as Record<string, unknown>;
    expect(md.process).toBe('single_top_tW');
    expect(md.xsec_pb).toBe(PROCESSES.single_top_tW.xsec);
    expect(md.events).toBe(300);
    const n = await session.sql(`SELECT count(*), min(truth_process), max(truth_process) FROM '${out}'`);
    expect(n.columns.map((c) => Number(c[0]))).toEqual([300, 6, 6]);
  });

  it('refuse an unknown process with a did-you-mean', async () => {
    const r = await runCli('generate', '--process', 'tbar', '--events', '10', '--out', join(dir, 'x.root'));
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown process 'tbar'/);
    expect(r.err).toMatch(/did you mean ttbar/);
  });

  it('generate the same events for the same seed and process', async () => {
    const take = async () => {
      const out: number[] = [];
      for await (const b of generateEvents({ schema: 'nanoaod', events: 500, seed: 9, process: 'dy' }))
        out.push(
          ...(
            b.columns.find((_c, k) => b.schema.fields[k]!.name === 'MET') as never as {
              children: { values: Float32Array }[];
            }
          ).children[0]!.values,
        );
      return out;
    };
    expect(await take()).toEqual(await take());
  });
});
