/** Numbers as explain, progress and errors print them: megabytes and seconds with sensible precision. */

/** Bytes as MB: three decimals below 1 MB (where one decimal would read 0.0), one above. */
export function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(Math.abs(bytes) < 1e6 ? 3 : 1)} MB`;
}

/** Seconds as milliseconds: two decimals under 10 ms, one above. */
export function ms(seconds: number): string {
  return `${(seconds * 1e3).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
}

/** Seconds as ms under one second, else as seconds. */
export function duration(seconds: number): string {
  return seconds < 1 ? ms(seconds) : `${seconds.toFixed(2)} s`;
}
