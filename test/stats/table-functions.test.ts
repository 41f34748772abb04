import { describe, expect, it } from 'vitest';
import {
  type Batch,
  type BatchStream,
  primitive,
  type Schema,
  utf8FromStrings,
  valueAt,
} from '../../exec/batch/index.js';
import { registerStatsFunctions } from '../../stats/index.js';
import { FunctionRegistry } from '../../udfs/api.js';
import { close, expected, HAVE_DATA, STATS_DIR } from './reference-cases.js';

const EMPTY: Schema = { fields: [] };
function streamOf(schema: Schema, batches: Batch[]): BatchStream {
  return {
    schema,
    async *[Symbol.asyncIterator]() {
      yield* batches;
    },
  };
}
async function collect(s: BatchStream): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const b of s)
    for (let i = 0; i < b.length; i++)
      out.push(Object.fromEntries(b.schema.fields.map((f, k) => [f.name, valueAt(b.columns[k]!, i)])));
  return out;
}

describe.skipIf(!HAVE_DATA)('HistFactory table functions', () => {
  const reg = registerStatsFunctions(new FunctionRegistry());
  const ws = `${STATS_DIR}workspaces/pyhf_examples/2-bin_1-channel.json`;
  const exp = expected('pyhf_2bin_1channel');

  it('are registered once, under their names', () => {
    expect(() => registerStatsFunctions(reg)).toThrow(/already registered/);
    expect(reg.table('hypotest').name).toBe('hypotest');
  });

  it('histfactory_fit, hypotest and upper_limit on a workspace file', async () => {
    const fit = await collect(reg.table('histfactory_fit').execute({ workspace: ws }, streamOf(EMPTY, [])));
    const mu = fit.find((r) => r.parameter === 'mu')!;
    expect(Math.abs((mu.value as number) - exp.mle.bestfit.mu)).toBeLessThan(
      0.02 * exp.mle_minuit.uncertainties.mu,
    );
    expect(mu.twice_nll as number).toBeLessThanOrEqual(exp.mle.twice_nll + 1e-6);
    const h = await collect(
      reg.table('hypotest').execute({ workspace: ws, mu: [1, 2] }, streamOf(EMPTY, [])),
    );
    expect(h).toHaveLength(2);
    expect(close(h[0]!.cls_obs as number, exp.cls.CLs_obs, 1e-4, 1e-6)).toBe(true);
    expect(close(h[0]!.cls_exp_median as number, exp.cls.CLs_exp[2], 1e-4, 1e-6)).toBe(true);
    const u = await collect(reg.table('upper_limit').execute({ workspace: ws }, streamOf(EMPTY, [])));
    expect(close(u[0]!.obs as number, exp.upper_limit_toms748.obs, 1.5e-4)).toBe(true);
  });

  it('hypotest over a histogram table built into a workspace', async () => {
    const table: [string, string, number[]][] = [
      ['singlechannel', 'signal', [5, 10]],
      ['singlechannel', 'background', [50, 60]],
      ['singlechannel', 'data', [50, 60]],
    ];
    const flat = table.flatMap(([r, s, c]) => c.map((x, bin) => ({ r, s, bin, x })));
    const schema: Schema = {
      fields: [
        { name: 'region', type: { kind: 'utf8' } },
        { name: 'sample', type: { kind: 'utf8' } },
        { name: 'bin', type: { kind: 'primitive', type: 'int32' } },
        { name: 'content', type: { kind: 'primitive', type: 'float64' } },
      ],
    };
    const batch: Batch = {
      schema,
      columns: [
        utf8FromStrings(flat.map((f) => f.r)),
        utf8FromStrings(flat.map((f) => f.s)),
        primitive('int32', Int32Array.from(flat.map((f) => f.bin))),
        primitive('float64', Float64Array.from(flat.map((f) => f.x))),
      ],
      length: flat.length,
    };
    const args = {
      builder: {
        regions: ['singlechannel'],
        samples: [
          { name: 'signal', signal: true, staterror: false },
          { name: 'background', staterror: false },
        ],
      },
    };
    const f = reg.table('hypotest');
    expect(f.bind(args, schema).fields.map((x) => x.name)).toContain('cls_obs');
    expect(() => f.bind(args, { fields: schema.fields.slice(1) })).toThrow(/needs a 'region' column/);
    const rows = await collect(f.execute(args, streamOf(schema, [batch])));
    // no uncertainties: CLs from the plain Poisson model, between 0 and 1 and below the reference (which has shapesys)
    expect(rows[0]!.cls_obs as number).toBeGreaterThan(0);
    expect(rows[0]!.cls_obs as number).toBeLessThan(exp.cls.CLs_obs);
  });
});
