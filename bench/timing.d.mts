// Types of timing.mjs for the TypeScript benchmarks.
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly q1: number;
  readonly q3: number;
  readonly runs: number[];
}
export interface Ratio {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}
export function median(xs: readonly number[]): number;
export function timeIt(fn: () => unknown, reps: number): Promise<number>;
export function interleaved<K extends string>(
  variants: Record<K, () => unknown>,
  reps: number,
): Promise<Record<K, Spread>>;
export function ratio<K extends string>(result: Record<K, Spread>, slow: K, fast: K): Ratio;
export function fmtRatio(r: Ratio): string;
