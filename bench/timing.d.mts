// Types of timing.mjs for the TypeScript benchmarks.
export interface Timing {
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  runs: number[];
}
export interface Ratio {
  median: number;
  min: number;
  max: number;
}
export function median(xs: readonly number[]): number;
export function timeIt(fn: () => unknown, reps: number): Promise<number>;
export function interleaved<K extends string>(
  variants: Record<K, () => unknown>,
  reps: number,
): Promise<Record<K, Timing>>;
export function ratio<K extends string>(result: Record<K, Timing>, slow: K, fast: K): Ratio;
export function fmtRatio(r: Ratio): string;
