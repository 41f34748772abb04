/**
 * Text output prints a float32 value as the shortest decimal that reads back as the same float32 (as numpy and
 * uproot print them), in dump's jsonl/csv and a query's jsonl/json/table; binary formats keep the stored bits.
 * The stored values come from jsroot's reading of the file.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shortestFloat32 } from '../../../server/cli/float32-text.js';
import { runCli } from '../../helpers/cli.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;

/** `text` reads back as the float32 `stored`, and no decimal with fewer significant digits does. */
function isShortestFloat32(text: string, stored: number): boolean {
  if (Math.fround(Number(text)) !== stored) return false;
  const digits = text
    .replace(/^-?0*\.?0*/, '')
    .replace(/e.*$/, '')
    .replace('.', '').length;
  for (let p = 1; p < digits; p++) if (Math.fround(Number(stored.toPrecision(p))) === stored) return false;
  return true;
}

describe('shortest float32 decimals', () => {
  it('reads back exactly, and is never longer than 9 significant digits', () => {
    for (const v of [0.1, 1 / 3, 12.777097, 3.4e38, 1.17549435e-38, -7.25, 1e-45]) {
      const f = Math.fround(v);
      const s = String(shortestFloat32(f));
      expect(isShortestFloat32(s, f), `${v} → ${s}`).toBe(true);
    }
    // float64 values that are not float32s, integers and specials pass through
    expect(shortestFloat32(0.1)).toBe(0.1);
    expect(shortestFloat32(7)).toBe(7);
    expect(shortestFloat32(Number.NaN)).toBeNaN();
  });
});

describe.skipIf(!existsSync(FILE))('the command line', () => {
  it('dump jsonl and csv, query jsonl: shortest decimals of the stored float32 values', async () => {
    const ref = await openJsrootTree(FILE, 'Events');
    const met = (await ref.read('MET_pt', 5)) as number[];
    const pt = (await ref.read('Muon_pt', 5)) as number[][];
    const jsonl = await runCli(
      'dump',
      FILE,
      '--tree',
      'Events',
      '--branch',
      'MET_pt',
      '--branch',
      'Muon_pt',
      '--stop',
      '5',
    );
    const rawLines = jsonl.out.trim().split('\n');
    rawLines.forEach((line, i) => {
      const metText = /"MET_pt":([^,}]+)/.exec(line)![1]!;
      expect(isShortestFloat32(metText, met[i]!), `${metText} vs ${met[i]}`).toBe(true);
      const ptTexts = /"Muon_pt":\[([^\]]*)\]/.exec(line)![1]!.split(',').filter(Boolean);
      expect(ptTexts.map((t, k) => isShortestFloat32(t, pt[i]![k]!))).toEqual(pt[i]!.map(() => true));
    });
    const csv = await runCli(
      'dump',
      FILE,
      '--tree',
      'Events',
      '--branch',
      'MET_pt',
      '--stop',
      '5',
      '--format',
      'csv',
    );
    const cells = csv.out.trim().split('\n').slice(1);
    cells.forEach((c, i) => {
      expect(isShortestFloat32(c, met[i]!)).toBe(true);
    });
    const q = await runCli('query', 'Select(lambda e: e.MET_pt).Take(5)', FILE);
    q.out
      .trim()
      .split('\n')
      .forEach((c, i) => {
        expect(isShortestFloat32(c, met[i]!)).toBe(true);
      });
  });
});
