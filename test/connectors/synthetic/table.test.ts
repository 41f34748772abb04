/**
 * Generated events as a table (`synthetic:adl?events=N&seed=S`): the same events as the generator's stream
 * whatever the entry range or thread count, queries over it through the Session and the CLI, and located
 * errors for a bad name. The physics check is the generator's own specification (README): Z→μμ with a
 * Breit–Wigner at 91.19 GeV, so opposite-sign dimuon masses peak in the bin holding it.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEvents, SyntheticTable } from '../../../connectors/synthetic/index.js';
import { type Batch, concatColumns } from '../../../exec/batch/index.js';
import { Session } from '../../../server/session.js';

const URL = 'synthetic:adl?events=5000&seed=7&batch=1000';

async function collect(stream: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of stream) out.push(b);
  return out;
}

const whole = (bs: Batch[], k: number) => concatColumns(bs.map((b) => b.columns[k]!));

describe('synthetic tables', () => {
  const serial = new Session({ threads: 1 });
  const parallel = new Session({ threads: 2, parallelMinBytes: 0 });
  afterAll(async () => {
    await serial.close();
    await parallel.close();
  });

  it("scans the generator's events, and any entry range gives the same events as the whole scan", async () => {
    const table = new SyntheticTable(URL);
    const names = ['MET', 'Muon', 'Jet'];
    const ks = names.map((n) => table.schema().fields.findIndex((f) => f.name === n));
    const gen = await collect(generateEvents({ schema: 'adl', events: 5000, seed: 7, batchSize: 1000 }));
    const all = await collect(table.scan({ columns: names }));
    expect(all.reduce((a, b) => a + b.length, 0)).toBe(5000);
    for (let i = 0; i < names.length; i++) expect(whole(all, i)).toEqual(whole(gen, ks[i]!));
    const parts = [
      ...(await collect(table.scan({ columns: names, range: { start: 0, stop: 1234 } }))),
      ...(await collect(table.scan({ columns: names, range: { start: 1234, stop: 3001 } }))),
      ...(await collect(table.scan({ columns: names, range: { start: 3001, stop: 5000 } }))),
    ];
    for (let i = 0; i < names.length; i++) expect(whole(parts, i)).toEqual(whole(all, i));
    expect(table.statistics().entries).toBe(5000);
    expect(table.statistics().clusters).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
  });

  const DIMUON =
    'Where(lambda e: e.nMuon == 2 and e.Muon_charge[0] != e.Muon_charge[1])' +
    '.Select(lambda e: sqrt(2 * e.Muon_pt[0] * e.Muon_pt[1] * (cosh(e.Muon_eta[0] - e.Muon_eta[1]) - cos(e.Muon_phi[0] - e.Muon_phi[1]))))' +
    '.Hist(lambda m: m, bins=50, range=(50, 150))';

  it('opposite-sign dimuon masses peak at the Z mass, on one thread and on worker threads alike', async () => {
    const a = await serial.query(DIMUON, { files: [URL] });
    const b = await parallel.query(DIMUON, { files: [URL] });
    if (a.kind !== 'histogram' || b.kind !== 'histogram') throw new Error('expected histograms');
    const { counts, edges } = a.histogram;
    const peak = counts.indexOf(Math.max(...counts));
    expect(edges[peak]).toBeLessThanOrEqual(91.1876);
    expect(edges[peak + 1]).toBeGreaterThan(91.1876);
    // the mean in a window symmetric about the peak: the Breit–Wigner's centre (σ of the mean ≈ 0.3 GeV)
    let n = 0;
    let sum = 0;
    counts.forEach((c, i) => {
      const x = (edges[i]! + edges[i + 1]!) / 2;
      if (Math.abs(x - 91.1876) < 10) {
        n += c;
        sum += c * x;
      }
    });
    expect(n).toBeGreaterThan(100);
    expect(Math.abs(sum / n - 91.1876)).toBeLessThan(1.5);
    expect(b.histogram.counts).toEqual(counts);
  });

  it('names a bad layout or parameter with a hint', async () => {
    await expect(serial.query('Count()', { files: ['synthetic:cms?events=10'] })).rejects.toMatchObject({
      code: 'synthetic/bad-url',
      hint: expect.stringMatching(/adl/),
    });
    await expect(serial.query('Count()', { files: ['synthetic:adl?event=10'] })).rejects.toMatchObject({
      code: 'synthetic/bad-url',
      hint: 'did you mean events?',
    });
  });

  it('hepq query counts events of a synthetic table as the Session does', async () => {
    const q = 'Where(lambda e: e.nJet >= 2).Count()';
    const r = await serial.query(q, { files: [URL] });
    if (r.kind !== 'value') throw new Error('expected a value');
    const out = execFileSync(process.execPath, ['bin/hepq.mjs', 'query', q, URL], { encoding: 'utf8' });
    expect(Number(out.trim())).toBe(Number(r.value));
    expect(Number(r.value)).toBeGreaterThan(0);
  });
});
