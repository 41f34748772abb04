// Timing for the benchmarks: the median of repetitions after one warm-up run.

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median wall time (ms) of `fn` over `reps` runs after one warm-up. */
export async function timeIt(fn, reps) {
  await fn();
  const ts = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}
