// Types of bench/timing.mjs for the TypeScript benchmarks.
export interface Timing {
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  runs: number[];
}
export declare function median(xs: readonly number[]): number;
export declare function timeIt(fn: () => unknown, reps: number): Promise<number>;
export declare function interleaved(
  variants: Record<string, () => unknown>,
  reps: number,
): Promise<Record<string, Timing>>;
export declare function ratio(
  result: Record<string, Timing>,
  slow: string,
  fast: string,
): { median: number; min: number; max: number };
export declare function fmtRatio(r: { median: number; min: number; max: number }): string;
