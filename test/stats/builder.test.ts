import { describe, expect, it } from 'vitest';
import { type Batch, HepqError, primitive, utf8FromStrings } from '../../exec/batch/index.js';
import { buildWorkspace, type HistogramRow, hypotest } from '../../stats/index.js';
import { close, HAVE_DATA, loadCase } from './reference-cases.js';

/** Histogram rows as a query would produce them. */
function rows(region: string, sample: string, content: number[], variation = ''): HistogramRow[] {
  return content.map((c, bin) => ({ region, sample, variation, bin, content: c }));
}

describe.skipIf(!HAVE_DATA)('workspace builder from histograms', () => {
  it('rebuilds validation_2bin_2channel_couplednorm from rows and a config, with the reference CLs', () => {
    const { exp, ws: ref } = loadCase('validation_2bin_2channel_couplednorm');
    const input = [
      ...rows('signal', 'signal', [10, 35]),
      ...rows('signal', 'bkg1', [100, 100]),
      ...rows('signal', 'bkg2', [50, 100]),
      ...rows('control', 'background', [100, 100]),
      ...rows('signal', 'data', [105, 220]),
      ...rows('control', 'data', [110, 105]),
    ];
    const ws = buildWorkspace(
      {
        regions: ['signal', 'control'],
        samples: [
          { name: 'signal', signal: true, staterror: false, regions: ['signal'] },
          {
            name: 'bkg1',
            staterror: false,
            regions: ['signal'],
            normsys: [{ name: 'coupled_normsys', hi: 1.1, lo: 0.9 }],
          },
          {
            name: 'bkg2',
            staterror: false,
            regions: ['signal'],
            normsys: [{ name: 'coupled_normsys', hi: 1.5, lo: 0.5 }],
          },
          {
            name: 'background',
            staterror: false,
            regions: ['control'],
            normsys: [{ name: 'coupled_normsys', hi: 1.1, lo: 0.9 }],
          },
        ],
      },
      input,
    );
    expect(ws.spec).toEqual(ref.spec);
    const model = ws.model();
    const r = hypotest(1, model, ws.data(model));
    expect(close(r.clsObs, exp.cls.CLs_obs, 1e-4, 1e-6)).toBe(true);
  });

  it('reads a histogram table (a batch) with variations, and names what is missing', () => {
    const { ws: ref } = loadCase('validation_2bin_histosys');
    const table: [string, string, string, number[]][] = [
      ['singlechannel', 'signal', '', [30, 95]],
      ['singlechannel', 'background', '', [100, 150]],
      ['singlechannel', 'background', 'up', [102, 190]],
      ['singlechannel', 'background', 'down', [98, 100]],
      ['singlechannel', 'data', '', [120, 180]],
    ];
    const flat = table.flatMap(([r, s, v, c]) => c.map((x, bin) => ({ r, s, v, bin, x })));
    const batch: Batch = {
      schema: {
        fields: [
          { name: 'region', type: { kind: 'utf8' } },
          { name: 'sample', type: { kind: 'utf8' } },
          { name: 'variation', type: { kind: 'utf8' } },
          { name: 'bin', type: { kind: 'primitive', type: 'int32' } },
          { name: 'content', type: { kind: 'primitive', type: 'float64' } },
        ],
      },
      columns: [
        utf8FromStrings(flat.map((f) => f.r)),
        utf8FromStrings(flat.map((f) => f.s)),
        utf8FromStrings(flat.map((f) => f.v)),
        primitive('int32', Int32Array.from(flat.map((f) => f.bin))),
        primitive('float64', Float64Array.from(flat.map((f) => f.x))),
      ],
      length: flat.length,
    };
    const config = {
      regions: ['singlechannel'],
      measurement: 'meas',
      samples: [
        { name: 'signal', signal: true, staterror: false },
        { name: 'background', staterror: false, histosys: [{ name: 'bkg_norm', up: 'up', down: 'down' }] },
      ],
    };
    expect(buildWorkspace(config, batch).spec).toEqual(ref.spec);
    const bad = {
      ...config,
      samples: [
        config.samples[0]!,
        { ...config.samples[1]!, histosys: [{ name: 'x', up: 'upp', down: 'down' }] },
      ],
    };
    try {
      buildWorkspace(bad, batch);
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(HepqError);
      expect((e as HepqError).message).toBe('no histogram for singlechannel/background/upp');
      expect((e as HepqError).hint).toContain("did you mean 'singlechannel/background/up'");
    }
  });
});
