/**
 * Opt-in corpus cases (HEPQ_ROOT_CORPUS): BDSIM's per-event and per-run histograms, `std::vector<TH1D*>` /
 * `TH3D*` read with hepq's built-in histogram streamers (the files carry no TH2D/TH3D streamer, uproot reads them
 * with its built-in models); pointers and their refusals are corpus-pointers.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { decodeBasket } from '../../../connectors/root/interp/decode.js';
import { compareWithJsroot } from '../../helpers/compare-jsroot.js';
import { CORPUS_DIR as DIR, HAVE_CORPUS as HAVE, corpusRows as rows } from '../../helpers/corpus.js';
import { decodeError, firstBasket } from '../../helpers/damaged-basket.js';

type Axis = { fNbins: number; fXmin: number; fXmax: number; fXbins: number[] };
type Hist = {
  fName: string;
  fNcells: number;
  fXaxis: Axis;
  fYaxis: Axis;
  fZaxis: Axis;
  fEntries: number;
  fTsumw: number;
  fTsumw2: number;
  fSumw2: number[];
  fArray: number[];
};

const BDSIM = [371, 399, 403, 404, 468, 494].map((n) => `uproot-issue${n}.root`);
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b), 1e-300);

/** The in-range bins' sum (flows left out) of a 1D or 3D histogram's cells. */
function inRange(h: Hist, cells: number[]): number {
  const [nx, ny, nz] = [h.fXaxis.fNbins, h.fYaxis.fNbins, h.fZaxis.fNbins];
  const dims = h.fNcells === nx + 2 ? 1 : 3;
  let s = 0;
  for (let z = dims === 3 ? 1 : 0; z <= (dims === 3 ? nz : 0); z++)
    for (let y = dims === 3 ? 1 : 0; y <= (dims === 3 ? ny : 0); y++)
      for (let x = 1; x <= nx; x++) s += cells[x + (nx + 2) * (y + (ny + 2) * z)]!;
  return s;
}

describe.skipIf(!HAVE)('scikit-hep-testdata: BDSIM histograms (std::vector<TH1D*>, TH3D*)', () => {
  it('every histogram holds its cells, its axes their edges, its sums of weights (hand checks)', async () => {
    let checked = 0;
    for (const file of BDSIM)
      for (const tree of ['Event', 'Run'])
        for (const d of ['1D', '3D']) {
          for (const entry of await rows(file, tree, `Histos./Histos.histograms${d}`)) {
            for (const h of entry as Hist[]) {
              const [nx, ny, nz] = [h.fXaxis.fNbins, h.fYaxis.fNbins, h.fZaxis.fNbins];
              const what = `${file}:${tree}:${h.fName}`;
              expect(h.fNcells, what).toBe(d === '1D' ? nx + 2 : (nx + 2) * (ny + 2) * (nz + 2));
              expect(h.fArray, what).toHaveLength(h.fNcells);
              for (const a of [h.fXaxis, h.fYaxis, h.fZaxis]) {
                // Variable bins: nbins + 1 increasing edges from fXmin to fXmax.
                if (!a.fXbins.length) continue;
                expect(a.fXbins, what).toHaveLength(a.fNbins + 1);
                expect(a.fXbins[0], what).toBe(a.fXmin);
                expect(a.fXbins.at(-1), what).toBe(a.fXmax);
                for (let i = 1; i < a.fXbins.length; i++) expect(a.fXbins[i]! > a.fXbins[i - 1]!).toBe(true);
              }
              // Unweighted (no fSumw2): every fill adds 1 to one cell, flows included.
              if (!h.fSumw2.length && h.fTsumw === h.fTsumw2 && tree === 'Event' && d === '1D')
                expect(
                  h.fArray.reduce((a, b) => a + b, 0),
                  what,
                ).toBe(h.fEntries);
              if (h.fSumw2.length) {
                expect(h.fSumw2, what).toHaveLength(h.fNcells);
                expect(close(inRange(h, h.fSumw2), h.fTsumw2), what).toBe(true);
              }
              // fTsumw: the in-range weights (BDSIM's per-event 3D meshes are set cell by cell, not filled).
              if (d === '1D' || tree === 'Run')
                expect(close(inRange(h, h.fArray), h.fTsumw), what).toBe(true);
              checked++;
            }
          }
        }
    expect(checked).toBeGreaterThan(100);
  });

  it("the run's histograms are the sums of its events' (bin by bin, every file)", async () => {
    for (const file of BDSIM)
      for (const d of ['1D', '3D']) {
        const events = (await rows(file, 'Event', `Histos./Histos.histograms${d}`)) as Hist[][];
        const [run] = (await rows(file, 'Run', `Histos./Histos.histograms${d}`)) as Hist[][];
        for (const ev of events) expect(ev.map((h) => h.fName)).toEqual(run!.map((h) => h.fName));
        run!.forEach((h, k) => {
          h.fArray.forEach((v, i) => {
            const sum = events.reduce((a, ev) => a + ev[k]!.fArray[i]!, 0);
            if (!close(v, sum)) expect(`${file} ${h.fName} cell ${i}: ${v}`).toBe(`${sum}`);
          });
        });
      }
    // uproot-issue371.root: ten events with one primary each, all hitting (PhitsHisto: 10 entries in the run).
    const [run] = (await rows('uproot-issue371.root', 'Run', 'Histos./Histos.histograms1D')) as Hist[][];
    expect(run!.map((h) => [h.fName, h.fEntries])).toEqual([
      ['PhitsHisto', 10],
      ['PlossHisto', 10],
      ['ElossHisto', 0],
      ['PhitsPEHisto', 10],
      ['PlossPEHisto', 10],
      ['ElossPEHisto', 0],
    ]);
  });

  it('jsroot reads the same histograms, and no histogram branch is refused', async () => {
    for (const file of BDSIM) {
      const r = await compareWithJsroot(
        DIR + file,
        2000,
        (_t, b) => !/^Histos\.\/Histos\.histograms/.test(b),
      );
      const histos = r.branches.filter((b) => b.outcome !== 'noref');
      expect(histos.map((b) => `${b.tree}:${b.branch}:${b.outcome}`).sort(), file).toEqual(
        ['Event', 'Run'].flatMap((t) =>
          ['1D', '2D', '3D'].map((d) => `${t}:Histos./Histos.histograms${d}:same`),
        ),
      );
      expect(r.refused.filter((b) => b.branch.includes('histograms'))).toEqual([]);
    }
  });

  it('a class tag naming no class read before is a located error (damaged basket)', async () => {
    const path = `${DIR}uproot-issue371.root`;
    const { info, content } = await firstBasket(path, 'Event', 'Histos./Histos.histograms1D');
    const data = content.data.slice();
    const view = new DataView(data.buffer);
    // Entry 0: the vector's header (6) and length (4), then the first TH1D's byte count, new-class tag and name;
    // the second TH1D refers to that tag. Point its reference 4 bytes further on.
    const first = content.offsets![0]! + 10;
    const second = first + 4 + (view.getUint32(first) & ~0x40000000);
    const tag = view.getUint32(second + 4);
    expect(tag & 0x80000000).not.toBe(0);
    view.setUint32(second + 4, tag + 4);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.code).toBe('root/corrupt-entry');
    expect(e.message).toMatch(
      /^entry 0: class tag refers to buffer position \d+, where this entry has no class tag/,
    );
    expect(e.location?.file).toContain('uproot-issue371.root');
    expect(e.location?.object).toBe('Event/Histos./Histos.histograms1D (basket 0)');
    // A compressed basket: the payload's file offset, and the tag's byte within the decompressed payload.
    expect(e.message).toContain(`(at byte ${second + 4} of the decompressed object)`);
    expect(e.location?.offset).toBe(content.cursor.error('x', 'x', 0).location?.offset);
  });
});
