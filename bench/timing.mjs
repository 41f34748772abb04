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

/**
 * Times several variants interleaved (A, B, C, A, B, C, …) after one warm-up each, so a busy neighbour slows
 * every variant alike. Returns, per name, the median and the spread (min, max, and the interquartile range)
 * in ms of wall time, and the process's CPU ms per run (`cpu`, `cpuMedian`). Use `ratio(r, a, b)` for "a is N× b" with the spread of the per-round ratios.
 */
export async function interleaved(variants, reps) {
  const names = Object.keys(variants);
  for (const n of names) await variants[n]();
  const ts = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < reps; i++) {
    for (const n of names) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await variants[n]();
      const c = process.cpuUsage(c0);
      ts[n].push(performance.now() - t0);
      cpu[n].push((c.user + c.system) / 1000);
    }
  }
  const q = (s, p) => s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
  const out = {};
  for (const n of names) {
    const s = [...ts[n]].sort((a, b) => a - b);
    out[n] = {
      median: median(s),
      min: s[0],
      max: s[s.length - 1],
      q1: q(s, 0.25),
      q3: q(s, 0.75),
      runs: ts[n],
      cpu: cpu[n],
      cpuMedian: median(cpu[n]),
    };
  }
  return out;
}

/**
 * Per-round ratio `slow / fast` (how many times faster `fast` is): median and min–max over the rounds. `of`:
 * 'runs' (wall time, default) or 'cpu' (this process's CPU time over each run, the steadier figure on a shared
 * machine when the work runs in this process).
 */
export function ratio(result, slow, fast, of = 'runs') {
  const rs = result[slow][of].map((t, i) => t / result[fast][of][i]).sort((a, b) => a - b);
  return { median: median(rs), min: rs[0], max: rs[rs.length - 1] };
}

/** "3.1× (2.8–3.4)" */
export const fmtRatio = (r) => `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
