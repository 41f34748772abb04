/** Turning variation histograms into modifier data: one- and two-sided symmetrisation and the effect sizes pruning reads. */
import { assertNever } from '../../exec/batch/index.js';
import type { Symmetrize } from './config.js';

/**
 * The hi/lo templates of a shape variation: `down` absent mirrors `up` around the nominal (bins clamped at 0);
 * `two-sided` replaces both by nominal ± (up − down)/2.
 */
export function symmetricTemplates(
  nominal: readonly number[],
  up: readonly number[],
  down: readonly number[] | undefined,
  mode: Symmetrize = 'none',
): { hi: number[]; lo: number[] } {
  if (!down) return { hi: [...up], lo: nominal.map((x, i) => Math.max(0, 2 * x - up[i]!)) };
  switch (mode) {
    case 'none':
      return { hi: [...up], lo: [...down] };
    case 'two-sided': {
      const d = nominal.map((_x, i) => (up[i]! - down[i]!) / 2);
      return { hi: nominal.map((x, i) => x + d[i]!), lo: nominal.map((x, i) => Math.max(0, x - d[i]!)) };
    }
    default:
      return assertNever(mode, 'symmetrisation');
  }
}

/** The same for normalisation factors (nominal 1). */
export function symmetricFactors(
  hi: number,
  lo: number | undefined,
  mode: Symmetrize = 'none',
): { hi: number; lo: number } {
  const t = symmetricTemplates([1], [hi], lo === undefined ? undefined : [lo], mode);
  return { hi: t.hi[0]!, lo: lo === undefined ? 2 - hi : t.lo[0]! };
}

/** The largest relative normalisation effect, max(|hi − 1|, |lo − 1|). */
export function normEffect(hi: number, lo: number): number {
  return Math.max(Math.abs(hi - 1), Math.abs(lo - 1));
}

/** The largest relative per-bin effect of hi/lo templates (a change in an empty nominal bin counts as infinite). */
export function shapeEffect(
  nominal: readonly number[],
  hi: readonly number[],
  lo: readonly number[],
): number {
  let m = 0;
  for (let i = 0; i < nominal.length; i++) {
    const n = nominal[i]!;
    for (const v of [hi[i]!, lo[i]!]) {
      const d = Math.abs(v - n);
      if (d === 0) continue;
      m = Math.max(m, n === 0 ? Number.POSITIVE_INFINITY : d / Math.abs(n));
    }
  }
  return m;
}

export const sum = (a: readonly number[]): number => a.reduce((s, x) => s + x, 0);
