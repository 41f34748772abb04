import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Histogram1D } from '../../exec/sinks/histogram.js';
import {
  type BuilderConfig,
  buildWorkspaceWithReport,
  fitModel,
  type HistogramEntry,
  type HistosysData,
  type NormsysData,
  validateWorkspace,
} from '../../stats/index.js';

const EDGES = [0, 50, 100];
const h = (sample: string, counts: number[], variation?: string, region = 'SR'): HistogramEntry => ({
  region,
  sample,
  ...(variation ? { variation } : {}),
  histogram: { edges: EDGES, counts, sumw2: counts.map((c) => c / 4) },
});

const INPUT: HistogramEntry[] = [
  h('sig', [10, 5]),
  h('bkg', [100, 50]),
  h('bkg', [110, 60], 'jes_up'),
  h('bkg', [96, 50], 'jes_down'),
  h('bkg', [120, 60], 'scale_up'),
  h('bkg', [90, 30], 'scale_down'),
  h('data', [112, 57]),
];

const modifier = (
  ws: ReturnType<typeof buildWorkspaceWithReport>['workspace'],
  sample: string,
  name: string,
  type: string,
) =>
  ws.spec.channels[0]!.samples.find((s) => s.name === sample)!.modifiers.find(
    (m) => m.name === name && m.type === type,
  );

describe('workspace builder config: symmetrisation, normalisation from variations, pruning', () => {
  it('mirrors one-sided variations and averages two-sided ones', () => {
    const config: BuilderConfig = {
      regions: ['SR'],
      samples: [{ name: 'sig', signal: true }, { name: 'bkg' }],
      systematics: [
        { name: 'jes1', type: 'histosys', up: 'jes_up', samples: ['bkg'] },
        {
          name: 'jes2',
          type: 'histosys',
          up: 'jes_up',
          down: 'jes_down',
          symmetrize: 'two-sided',
          samples: ['bkg'],
        },
        { name: 'jesN', type: 'normsys', up: 'jes_up', samples: ['bkg'] },
        { name: 'xs', type: 'normsys', hi: 1.2, symmetrize: 'none' },
      ],
    };
    const { workspace: ws, edges } = buildWorkspaceWithReport(config, INPUT);
    // one-sided: down = 2·nominal − up
    expect(modifier(ws, 'bkg', 'jes1', 'histosys')!.data).toEqual({ hi_data: [110, 60], lo_data: [90, 40] });
    // two-sided: nominal ± (up − down)/2 = ± [7, 5]
    expect(modifier(ws, 'bkg', 'jes2', 'histosys')!.data).toEqual({ hi_data: [107, 55], lo_data: [93, 45] });
    // normalisation from the up variation: 170/150, mirrored
    const n = modifier(ws, 'bkg', 'jesN', 'normsys')!.data as NormsysData;
    expect(n.hi).toBeCloseTo(170 / 150, 12);
    expect(n.lo).toBeCloseTo(2 - 170 / 150, 12);
    // a fixed one-sided factor applies to every sample, mirrored
    expect(modifier(ws, 'sig', 'xs', 'normsys')!.data).toEqual({ hi: 1.2, lo: 0.8 });
    // staterror from √sumw2 of the nominal (sumw2 = counts/4)
    expect(modifier(ws, 'bkg', 'staterror_SR', 'staterror')!.data).toEqual([5, Math.sqrt(12.5)]);
    expect(edges).toEqual({ SR: EDGES });
    // the written JSON is a valid pyhf workspace
    expect(() => validateWorkspace(JSON.parse(JSON.stringify(ws.spec)), 'written')).not.toThrow();
  });

  it('splits normplusshape into a normsys and a normalised histosys, and prunes small effects', () => {
    const config: BuilderConfig = {
      regions: ['SR'],
      samples: [
        { name: 'sig', signal: true, staterror: false },
        { name: 'bkg', staterror: false },
      ],
      systematics: [
        { name: 'scale', type: 'normplusshape', up: 'scale_up', down: 'scale_down', samples: ['bkg'] },
        { name: 'tiny', type: 'normsys', hi: 1.004, lo: 0.997 },
      ],
      pruning: { normsys: 0.005, histosys: 0.001 },
    };
    const { workspace: ws, pruned } = buildWorkspaceWithReport(config, INPUT);
    // totals: nominal 150, up 180, down 120
    expect(modifier(ws, 'bkg', 'scale', 'normsys')!.data).toEqual({ hi: 1.2, lo: 0.8 });
    const hs = modifier(ws, 'bkg', 'scale', 'histosys')!.data as HistosysData;
    // the down shape scaled to the nominal total: [90, 30]·150/120; the up shape equals the nominal's
    expect(hs.lo_data).toEqual([112.5, 37.5]);
    expect(hs.hi_data).toEqual([100, 50]);
    expect(modifier(ws, 'bkg', 'tiny', 'normsys')).toBeUndefined();
    expect(pruned.map((p) => [p.sample, p.name, p.type])).toEqual([
      ['sig', 'tiny', 'normsys'],
      ['bkg', 'tiny', 'normsys'],
    ]);
    expect(pruned[0]!.effect).toBeCloseTo(0.004, 12);
    // a histosys with no shape effect at all is pruned, the normalisation part stays
    const flat = buildWorkspaceWithReport(config, [
      ...INPUT.filter((e) => e.variation !== 'scale_down'),
      h('bkg', [80, 40], 'scale_down'),
    ]);
    expect(modifier(flat.workspace, 'bkg', 'scale', 'histosys')).toBeUndefined();
    expect(modifier(flat.workspace, 'bkg', 'scale', 'normsys')!.data).toEqual({ hi: 1.2, lo: 0.8 });
    expect(flat.pruned.find((p) => p.type === 'histosys')).toMatchObject({ name: 'scale', effect: 0 });
  });

  it('builds Asimov observations (no data histogram) whose fit gives μ̂ = 1', () => {
    const config: BuilderConfig = {
      regions: ['SR'],
      samples: [{ name: 'sig', signal: true }, { name: 'bkg' }],
      systematics: [{ name: 'jes', type: 'histosys', up: 'jes_up', down: 'jes_down', samples: ['bkg'] }],
      lumi: { relErr: 0.02 },
      asimov: true,
    };
    const { workspace: ws } = buildWorkspaceWithReport(
      config,
      INPUT.filter((e) => e.sample !== 'data'),
    );
    expect(ws.spec.observations).toEqual([{ name: 'SR', data: [110, 55] }]);
    const model = ws.model();
    const fit = fitModel(model, ws.data(model));
    expect(fit.x[model.poiIndex]).toBeCloseTo(1, 4);
  });

  it('takes exec/sinks histograms as they are, and refuses inconsistent binning with the histograms named', () => {
    const fill = (xs: number[], w = 1) => {
      const hist = new Histogram1D(2, 0, 100);
      for (const x of xs) hist.fill(x, w);
      return hist.result();
    };
    const { workspace: ws } = buildWorkspaceWithReport(
      { regions: ['SR'], samples: [{ name: 'sig', signal: true }] },
      [
        { region: 'SR', sample: 'sig', histogram: fill([10, 20, 70], 0.5) },
        { region: 'SR', sample: 'data', histogram: fill([5, 60, 80, 90]) },
      ],
    );
    expect(ws.spec.channels[0]!.samples[0]!.data).toEqual([1, 0.5]);
    expect(ws.spec.channels[0]!.samples[0]!.modifiers[1]!.data).toEqual([Math.sqrt(0.5), 0.5]);
    expect(ws.spec.observations[0]!.data).toEqual([1, 3]);
    expect(() =>
      buildWorkspaceWithReport({ regions: ['SR'], samples: [{ name: 'sig', signal: true }] }, [
        h('sig', [1, 2]),
        { region: 'SR', sample: 'data', histogram: { edges: [0, 40, 100], counts: [1, 2] } },
      ]),
    ).toThrow('SR/data has other bin edges than SR/sig');
    expect(() =>
      buildWorkspaceWithReport(
        {
          regions: ['SR'],
          samples: [{ name: 'sig', signal: true }],
          systematics: [{ name: 'x', type: 'normfactor', samples: ['sgi'] }],
        },
        INPUT,
      ),
    ).toThrow("systematic 'x' names sample 'sgi', which the config does not define");
  });
});

describe('stats/builder/README.md', () => {
  it('the example runs and its assertion holds', async () => {
    const readme = readFileSync(new URL('../../stats/builder/README.md', import.meta.url), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const index = new URL('../../stats/index.ts', import.meta.url).pathname;
    const code = block!
      .replace("'../index.js'", JSON.stringify(index))
      .replace('console.assert(', 'if (!(')
      .replace(/\);\s*$/, ')) throw new Error("README example assertion failed");\n');
    const file = join(mkdtempSync(join(tmpdir(), 'hepq-readme-')), 'example.ts');
    writeFileSync(file, code);
    await import(file);
  });
});
