/**
 * DOUBLE and FLOAT as DuckDB's `CAST(x AS VARCHAR)` prints them. DuckDB formats both with its bundled fmt
 * library's `{}`: the shortest digits that read back as the same value, laid out as Python's `repr` does
 * (`1.0`, `0.0001`, `1e-05`, `1000000000000000.0`, `1e+16`, `nan`, `-inf`).
 *
 * For FLOAT that library runs Grisu with the float's own rounding interval (so FLOAT 0.1 prints `0.1`), and
 * where Grisu cannot prove its digits shortest and closest (a candidate on the interval's edge, or two equally
 * near) it prints the shortest digits of the value as a DOUBLE instead (`23285.0625`, not `23285.062`;
 * `15000000512.0`, not `1.5e+10`). Which values those are follows from Grisu's fixed-point arithmetic, so this
 * file repeats that arithmetic (64-bit, on bigints) for every FLOAT whose two candidate texts differ.
 * `test/server/sql/sql-text.test.ts` compares both with DuckDB over many random values.
 */

/** `digits` (no leading zero) × 10^(`exp` − digits + 1), as fmt writes a general-format number. */
function layout(digits: string, exp: number): string {
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  const d = digits.slice(0, end);
  if (exp < -4 || exp >= 16) {
    const mantissa = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
    const e = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${d}`;
  if (d.length <= exp + 1) return `${d}${'0'.repeat(exp + 1 - d.length)}.0`;
  return `${d.slice(0, exp + 1)}.${d.slice(exp + 1)}`;
}

/** The shortest round-trip digits of a positive double and the exponent of the first one. */
function doubleDigits(v: number): [string, number] {
  const s = v.toExponential();
  const e = s.indexOf('e');
  return [s.slice(0, e).replace('.', ''), Number(s.slice(e + 1))];
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  return undefined;
}

/** DuckDB's text of a DOUBLE. */
export function doubleText(v: number): string {
  const s = special(v);
  if (s !== undefined) return s;
  const [d, e] = doubleDigits(Math.abs(v));
  return v < 0 ? `-${layout(d, e)}` : layout(d, e);
}

/** DuckDB's text of a FLOAT (`v` a float32 value). */
export function floatText(v: number): string {
  const s = special(v);
  if (s !== undefined) return s;
  const a = Math.abs(v);
  const [digits, exp] = floatDigits(a);
  let text: string;
  if (!needsGrisu(a, digits.length, exp)) text = layout(digits, exp);
  else {
    const g = grisuFloat(a);
    text = g === undefined ? layout(...doubleDigits(a)) : layout(g[0], g[1]);
  }
  return v < 0 ? `-${text}` : text;
}

/** The shortest digits reading back as the float32 `v`, correctly rounded (the nearest such), and the first one's exponent. */
export function floatDigits(v: number): [string, number] {
  // the shortest length is between 1 and 9; a longer string always reads back where a shorter one does
  let lo = 1;
  let hi = 9;
  let best = v.toExponential(8);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const t = v.toExponential(mid - 1);
    if (Math.fround(Number(t)) === v) {
      best = t;
      hi = mid;
    } else lo = mid + 1;
  }
  const e = best.indexOf('e');
  return [best.slice(0, e).replace('.', ''), Number(best.slice(e + 1))];
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Powers of ten as correctly rounded doubles (`10 ** k` may be off in the last bit). */
const TEN: number[] = [];
for (let k = 0; k <= 400; k++) TEN.push(Number(`1e${k}`));
const TENTH: number[] = [];
for (let k = 0; k <= 400; k++) TENTH.push(Number(`1e-${k}`));

/**
 * Whether `x` lies within a relative 2^-48 of a multiple of 10^-k. Grisu's own arithmetic is good to about
 * 2^-60 and the double product here to 2^-51, so outside this margin Grisu's verdict is certain.
 */
function nearDecimal(x: number, k: number): boolean {
  const s = k >= 0 ? x * TEN[k]! : x / TEN[-k]!;
  return Math.abs(s - Math.round(s)) <= s * 3.552713678800501e-15;
}

/**
 * Whether Grisu might not print `p` digits (the shortest, nearest; the first at 10^`exp`) for the float32 `v`:
 * `v` a power of two (its interval is lopsided), a decimal of at most `p` digits at an edge of its rounding
 * interval, or `v` halfway between two of them. Elsewhere Grisu's candidates sit far from every edge and tie,
 * so it succeeds with them. The grids checked are ten times finer than needed (an edge in the next decade
 * down or up is covered), so a doubt only costs the exact check.
 */
export function needsGrisu(v: number, p: number, exp: number): boolean {
  f64[0] = v;
  const hi = u32[HI]!;
  if ((hi & 0xfffff) === 0 && u32[1 - HI] === 0) return true;
  const e = ((hi >>> 20) & 0x7ff) - 1075;
  const half = e < -178 ? 2 ** -150 : 2 ** (e + 28);
  const k = p - exp;
  return nearDecimal(v, k + 1) || nearDecimal(v - half, k) || nearDecimal(v + half, k);
}

// ---- Grisu (shortest), as fmt runs it for a float32 value held in a double ----

const MASK64 = (1n << 64n) - 1n;
const u64 = (x: bigint) => x & MASK64;

/** Normalized 64-bit significands (rounded to nearest) and binary exponents of 10^k, k = −348, −340, … 340. */
let powers: { f: bigint; e: number }[] | undefined;

function cachedPowers(): { f: bigint; e: number }[] {
  if (powers) return powers;
  powers = [];
  for (let k = -348; k <= 340; k += 8) {
    let f: bigint;
    let e: number;
    if (k >= 0) {
      const n = 10n ** BigInt(k);
      e = n.toString(2).length - 64;
      f = e > 0 ? (n + (1n << BigInt(e - 1))) >> BigInt(e) : n << BigInt(-e);
    } else {
      const d = 10n ** BigInt(-k);
      let s = 63 + d.toString(2).length;
      f = ((1n << BigInt(s + 1)) + d) / (2n * d);
      if (f < 1n << 63n) {
        s++;
        f = ((1n << BigInt(s + 1)) + d) / (2n * d);
      }
      e = -s;
    }
    if (f >> 64n) {
      f >>= 1n;
      e++;
    }
    powers.push({ f, e });
  }
  return powers;
}

/** The high 64 bits of a 128-bit product, rounded half up. */
const multiply = (a: bigint, b: bigint) => {
  const p = a * b;
  return u64((p >> 64n) + ((p >> 63n) & 1n));
};

const bits = new DataView(new ArrayBuffer(8));

/** Grisu's shortest digits of the positive float32 `v` and the exponent of the first, or undefined where it gives up. */
function grisuFloat(v: number): [string, number] | undefined {
  bits.setFloat64(0, v);
  const word = bits.getBigUint64(0);
  const f = (word & ((1n << 52n) - 1n)) | (1n << 52n);
  const e = Number((word >> 52n) & 0x7ffn) - 1075;
  // the float's rounding interval, in the double's units
  let halfUlp = 1n << 28n;
  if (e < -178) halfUlp <<= BigInt(-178 - e);
  const edge = f === 1n << 52n && e > -178;
  const upper0 = (f + halfUlp) << 11n;
  const lower0 = (f - (edge ? halfUlp >> 1n : halfUlp)) << 11n;
  const valueE = e - 11;
  // scale by a cached power of ten into Grisu's exponent range
  const minExponent = -60 - (valueE + 64);
  const k = Number((BigInt(minExponent + 63) * 0x4d104d42n + 0xffffffffn) >> 32n);
  const index = Math.trunc((k + 347) / 8) + 1;
  const pow = cachedPowers()[index]!;
  const exp10 = -348 + index * 8;
  const value = multiply(f << 11n, pow.f);
  const shift = -(valueE + pow.e + 64);
  const lower = u64(multiply(lower0, pow.f) - 1n);
  const upper = u64(multiply(upper0, pow.f) + 1n);
  const diff = u64(upper - value);
  let error = u64(upper - lower);
  const big = BigInt(shift);
  const one = 1n << big;
  let integral = upper >> big;
  let fractional = upper & (one - 1n);
  let kappa = integral.toString().length;
  const digits: number[] = [];

  // 1: more digits; 0: done; -1: Grisu gives up
  const onDigit = (digit: number, divisor: bigint, rem: bigint, isIntegral: boolean): number => {
    digits.push(digit);
    if (rem >= error) return 1;
    const unit = isIntegral ? 1n : 10n ** BigInt(-kappa);
    const up = u64((diff - 1n) * unit);
    while (
      rem < up &&
      u64(error - rem) >= divisor &&
      (u64(rem + divisor) < up || u64(up - rem) >= u64(rem + divisor - up))
    ) {
      digits[digits.length - 1]!--;
      rem = u64(rem + divisor);
    }
    const down = u64((diff + 1n) * unit);
    if (
      rem < down &&
      u64(error - rem) >= divisor &&
      (u64(rem + divisor) < down || u64(down - rem) > u64(rem + divisor - down))
    )
      return -1;
    return 2n * unit <= rem && rem <= u64(error - 4n * unit) ? 0 : -1;
  };

  let result = 1;
  while (result === 1 && kappa > 0) {
    const p = 10n ** BigInt(kappa - 1);
    const digit = Number(integral / p);
    integral %= p;
    kappa--;
    result = onDigit(digit, u64((10n ** BigInt(kappa)) << big), u64((integral << big) + fractional), true);
  }
  while (result === 1) {
    fractional *= 10n;
    error = u64(error * 10n);
    const digit = Number(fractional >> big);
    fractional &= one - 1n;
    kappa--;
    result = onDigit(digit, one, fractional, false);
  }
  if (result < 0) return undefined;
  const last = kappa - exp10; // exponent of the last digit
  return [digits.join(''), last + digits.length - 1];
}
