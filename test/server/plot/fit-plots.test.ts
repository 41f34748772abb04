// Fit plots drawn to SVG: a stack with its ±1σ band and a data/prediction panel, pulls, a correlation matrix.
// Heights are read back from the SVG paths and compared with the numbers given (hand-computable).
import { describe, expect, it } from 'vitest';
import { correlationSpec, fitStackSpec, pullsSpec, renderSvg } from '../../../server/plot/index.js';

/** Heights of the rect marks of one layer (vega names layers `layer_K_marks`, `concat_I_layer_K_marks`). */
const rects = (svg: string, layer: string) => {
  const at = svg.indexOf(`role-mark ${layer}"`);
  if (at < 0) return [];
  const end = svg.indexOf('</g>', at);
  return [...svg.slice(at, end).matchAll(/d="M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v([-\d.e]+)h/g)].map((m) =>
    Math.abs(Number(m[4])),
  );
};
const count = (svg: string, layer: string, what: RegExp) => {
  const at = svg.indexOf(`role-mark ${layer}"`);
  return at < 0 ? 0 : (svg.slice(at, svg.indexOf('</g>', at)).match(what) ?? []).length;
};

describe('fit plots', () => {
  it('draw the total uncertainty as a band 2σ tall and data / prediction in the ratio panel', async () => {
    const stack = {
      edges: [0, 10, 20],
      samples: [
        { name: 'bkg', counts: [10, 20] },
        { name: 'sig', counts: [10, 20] },
      ],
      totalStdev: [2, 5],
      data: [25, 40],
    };
    const svg = await renderSvg(fitStackSpec(stack, { title: 'post-fit' }));
    const stackH = rects(svg, 'concat_0_layer_0_marks');
    const band = rects(svg, 'concat_0_layer_1_marks');
    expect(stackH).toHaveLength(4);
    expect(band).toHaveLength(2);
    const unit = stackH[0]! / 10; // bkg bin 0 is 10 events tall
    expect(band[0]! / unit).toBeCloseTo(4, 4); // 2 × σ = 4
    expect(band[1]! / unit).toBeCloseTo(10, 4);
    const ratioBand = rects(svg, 'concat_1_layer_0_marks');
    expect(ratioBand).toHaveLength(2);
    // relative half-widths 2/20 and 5/40: the ratio bands' heights are in that proportion
    expect(ratioBand[0]! / ratioBand[1]!).toBeCloseTo(0.1 / 0.125, 4);
    expect(count(svg, 'concat_1_layer_3_marks', /aria-roledescription="point"/g)).toBe(2);
    expect(svg).toContain('Data / Pred.');
  });

  it('draw one pull per constrained parameter and an n × n correlation matrix', async () => {
    const pulls = await renderSvg(
      pullsSpec([
        { name: 'jes', pull: 0.5, pullError: 0.8 },
        { name: 'mu', pull: Number.NaN, pullError: Number.NaN },
        { name: 'btag', pull: -1.2, pullError: 0.9 },
      ]),
    );
    expect(count(pulls, 'layer_3_marks', /aria-roledescription="point"/g)).toBe(2);
    expect(pulls).toContain('jes');
    expect(pulls).not.toContain('>mu<');
    const corr = await renderSvg(correlationSpec(['a', 'b', 'c'], [1, 0.5, 0, 0.5, 1, -0.25, 0, -0.25, 1]));
    expect(rects(corr, 'layer_0_marks')).toHaveLength(9);
    expect(corr).toMatch(/[−-]0\.25/);
    expect(() => correlationSpec(['a', 'b'], [1, 0, 0])).toThrow(/needs 4 values/);
  });
});
