/**
 * `hepq demo` as a newcomer runs it: every step printed with its time, and its outputs checked independently —
 * the dimuon mass histogram recomputed with a plain loop over the generated file as jsroot reads it, the SVG
 * bars against those counts, the workspace's observed data, and the fitted signal strength against the truth
 * (data and simulation come from the same generator, so μ = 1).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { ensureBuilt, REPO } from './pty.js';

let dir: string;
let out: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hepq-demo-'));
  out = execFileSync(
    process.execPath,
    [join(REPO, 'bin', 'hepq.mjs'), 'demo', '--events', '6000', '--out', dir],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Opposite-sign dimuon masses of the leading two muons with pT > 10 GeV and |η| < 2.4, binned by hand. */
async function referenceHistogram(file: string): Promise<number[]> {
  const t = await openJsrootTree(file, 'Events');
  const [pt, eta, phi, mass, charge] = (await Promise.all(
    ['Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass', 'Muon_charge'].map((b) => t.read(b)),
  )) as number[][][];
  const counts = new Array<number>(30).fill(0);
  for (let e = 0; e < t.entries; e++) {
    const good: number[] = [];
    for (let i = 0; i < pt![e]!.length; i++)
      if (pt![e]![i]! > 10 && Math.abs(eta![e]![i]!) < 2.4) good.push(i);
    if (good.length < 2) continue;
    const [a, b] = good as [number, number];
    if (charge![e]![a]! * charge![e]![b]! >= 0) continue;
    let E = 0;
    let px = 0;
    let py = 0;
    let pz = 0;
    for (const i of [a, b]) {
      const p = pt![e]![i]!;
      const x = p * Math.cos(phi![e]![i]!);
      const y = p * Math.sin(phi![e]![i]!);
      const z = p * Math.sinh(eta![e]![i]!);
      E += Math.sqrt(x * x + y * y + z * z + mass![e]![i]! ** 2);
      px += x;
      py += y;
      pz += z;
    }
    const m = Math.sqrt(Math.max(0, E * E - px * px - py * py - pz * pz));
    if (m >= 60 && m < 120) counts[Math.floor((m - 60) / 2)]!++;
  }
  return counts;
}

describe('hepq demo', () => {
  it('prints each of the four steps with its time', () => {
    for (const s of ['[1/4] generating', '[2/4] selecting', '[3/4] building', '[4/4] fitting'])
      expect(out).toContain(s);
    expect(out.match(/^ {2}\(\d+\.\d\d s\)$/gm)).toHaveLength(4);
    expect(out).toMatch(/done in \d+\.\d s/);
  });

  it('fills the dimuon mass histogram a plain loop over the generated file gives, and draws it', async () => {
    const want = await referenceHistogram(join(dir, 'data.root'));
    const got = JSON.parse(readFileSync(join(dir, 'mass.json'), 'utf8'));
    expect(got.counts).toEqual(want);
    const total = want.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(100);
    expect(out).toContain(`dimuon mass of ${total} opposite-sign candidates`);
    // the Z peak: the most populated bin is 90–92 GeV
    expect(want.indexOf(Math.max(...want))).toBe(15);
    const svg = readFileSync(join(dir, 'mass.svg'), 'utf8');
    const heights = [
      ...svg.matchAll(/aria-roledescription="rect mark" d="M[-\d.e]+,[-\d.e]+h[-\d.e]+v([-\d.e]+)/g),
    ].map((m) => Number(m[1]));
    expect(heights).toHaveLength(30);
    const hmax = Math.max(...heights);
    for (const [i, h] of heights.entries()) expect(h / hmax).toBeCloseTo(want[i]! / Math.max(...want), 6);
    const ws = JSON.parse(readFileSync(join(dir, 'workspace.json'), 'utf8'));
    expect(ws.observations[0].data).toEqual(want);
    expect(ws.channels[0].samples.map((s: { name: string }) => s.name)).toEqual(['Z', 'combinatorial']);
  });

  it('fits a signal strength consistent with the truth (μ = 1) and a limit above it', () => {
    const m = /μ̂ = ([\d.]+) \+([\d.]+) −([\d.]+)/.exec(out)!;
    const [muHat, up, down] = [Number(m[1]), Number(m[2]), Number(m[3])];
    expect(up).toBeGreaterThan(0);
    expect(down).toBeGreaterThan(0);
    expect(Math.abs(muHat - 1)).toBeLessThan(4 * Math.max(up, down));
    const cls = /CLs at μ = 1 +([\d.e+-]+)/.exec(out)!;
    expect(Number(cls[1])).toBeGreaterThan(0.05); // μ = 1 is the truth: not excluded
    const lim = /upper limit +μ < ([\d.]+)/.exec(out)!;
    expect(Number(lim[1])).toBeGreaterThan(muHat);
  });
});
