// Types of timing.mjs for the TypeScript benchmarks.
export interface Timing {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly q1: number;
  readonly q3: number;
  readonly runs: number[];
  /** This process's CPU ms (user + system) per run. */
  readonly cpu: number[];
  readonly cpuMedian: number;
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
): Promise<Record<K, Timing>>;
export function ratio<K extends string>(
  result: Record<K, Timing>,
  slow: K,
  fast: K,
  of?: 'runs' | 'cpu',
): Ratio;
export function fmtRatio(r: Ratio): string;
