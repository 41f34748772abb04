/**
 * Seeded, reproducible random numbers for queries: a counter-based hash (MurmurHash3's mixing) of a seed and
 * up to three keys taken from the event itself (event number, object index or pt), so a value depends only on
 * its event — never on thread count, batch size or file order — and the same query gives the same smearing.
 */

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

function mix(h: number, k: number): number {
  let x = Math.imul(k, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  let y = h ^ x;
  y = (y << 13) | (y >>> 19);
  return (Math.imul(y, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Mix the 64 bits of a number (integers and floats alike; −0 as 0). */
function mixNumber(h: number, v: number): number {
  F64[0] = typeof v === 'bigint' ? Number(v) : v === 0 ? 0 : v;
  return mix(mix(h, U32[0]!), U32[1]!);
}

const lastSeed: number[] = [Number.NaN, Number.NaN, Number.NaN];
const seedHash: number[] = [0, 0, 0];

/** A uniform number in [0, 1) with 53 random bits, from (stream, seed, keys). */
function uniform(
  stream: number,
  seed: number,
  a: number,
  b: number | undefined,
  c: number | undefined,
): number {
  // The hash of (stream, seed) is the same for every call of a query: kept per stream for the last seed.
  let h: number;
  if (seed === lastSeed[stream]) h = seedHash[stream]!;
  else {
    h = mixNumber(mix(0x2545f491 ^ stream, 0), seed);
    lastSeed[stream] = seed;
    seedHash[stream] = h;
  }
  h = mixNumber(h, a);
  if (b !== undefined) h = mixNumber(h, b);
  if (c !== undefined) h = mixNumber(h, c);
  const n = 1 + (b !== undefined ? 1 : 0) + (c !== undefined ? 1 : 0);
  const hi = fmix(h ^ n);
  const lo = fmix(mix(h, 0x68e31da4) ^ n);
  return (hi * 2097152 + (lo >>> 11)) / 9007199254740992;
}

/** `rand(seed, k1[, k2[, k3]])`: uniform in [0, 1), a pure function of its arguments. */
export function rand(seed: number, a: number, b?: number, c?: number): number {
  return uniform(0, seed, a, b, c);
}

/** `randn(seed, k1[, k2[, k3]])`: standard normal (Box–Muller on two independent uniforms of the same keys). */
export function randn(seed: number, a: number, b?: number, c?: number): number {
  const u1 = uniform(1, seed, a, b, c);
  const u2 = uniform(2, seed, a, b, c);
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}
