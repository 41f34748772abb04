/**
 * DOUBLE and FLOAT as DuckDB's `CAST(x AS VARCHAR)` prints them. DuckDB formats both with its bundled fmt
 * library's `{}`: the shortest digits that read back as the same value, laid out as Python's `repr` does
 * (`1.0`, `0.0001`, `1e-05`, `1000000000000000.0`, `1e+16`, `nan`, `-inf`).
 *
 * For FLOAT that library runs Grisu with the float's own rounding interval (so FLOAT 0.1 prints `0.1`), and
 * where Grisu cannot prove its digits shortest and closest (a candidate on the interval's edge, or two equally
 * near) it prints the shortest digits of the value as a DOUBLE instead (`23285.0625`, not `23285.062`;
 * `15000000512.0`, not `1.5e+10`). Which values those are follows from Grisu's fixed-point arithmetic: this file
 * finds the shortest digits in double arithmetic and, where a value is close enough to an edge or a tie for that
 * to matter (a few in ten thousand), repeats Grisu's 64-bit arithmetic on bigints to decide.
 * `test/server/sql/sql-text.test.ts` compares both with DuckDB over many generated values.
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
  const a = Math.abs(v);
  // JavaScript prints the same shortest digits, in fixed notation from 1e-7 to 1e21; fmt's fixed range is
  // 1e-4 to 1e16, where only a whole number differs (fmt adds `.0`)
  if (a >= 1e-4 && a < 1e16) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  const s = special(v);
  if (s !== undefined) return s;
  const [d, e] = doubleDigits(a);
  return v < 0 ? `-${layout(d, e)}` : layout(d, e);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Powers of ten as correctly rounded doubles (`10 ** k` may be off in the last bit). */
const TEN: number[] = [];
for (let k = 0; k <= 400; k++) TEN.push(Number(`1e${k}`));

/** `x` × 10^k, to a double's precision. */
const scaled = (x: number, k: number) => (k >= 0 ? x * TEN[k]! : x / TEN[-k]!);

/** A relative 2^-48: Grisu's arithmetic is good to about 2^-60, the double arithmetic here to 2^-50. */
const MARGIN = 3.552713678800501e-15;

/** Whether `x` lies within MARGIN of a multiple of 10^-k: there Grisu and the double arithmetic may disagree. */
function nearDecimal(x: number, k: number): boolean {
  const s = scaled(x, k);
  return Math.abs(s - Math.round(s)) <= s * MARGIN;
}

/** Whether `x` lies within MARGIN of the midpoint of two neighbours on the grid 10^-k (a tie between them). */
function nearMidpoint(x: number, k: number): boolean {
  const s = scaled(x, k + 1);
  const m = Math.round(s);
  return m % 10 === 5 && Math.abs(s - m) <= s * MARGIN;
}

/**
 * DuckDB's text of a FLOAT (`v` a float32 value). The shortest decimal inside the float's rounding interval
 * (the nearest to `v` of those) is found on grids of 10^-k, coarse to fine, in double arithmetic, which is exact
 * enough unless an edge of the interval lies (almost) on the grid where the digits were found (shorter
 * decimals lie on it too), `v` (almost) halfway between two of its points, or the interval is lopsided (`v`
 * a power of two). Exactly there Grisu may give up too, so there its arithmetic decides (`grisuFloat`);
 * elsewhere Grisu finds the same digits.
 */
export function floatText(v: number): string {
  const a = Math.abs(v);
  if (!(a > 0 && a < Infinity)) return special(v)!;
  f64[0] = a;
  const hi = u32[HI]!;
  const e = ((hi >>> 20) & 0x7ff) - 1075;
  const half = e < -178 ? 2 ** -150 : 2 ** (e + 28);
  const lower = a - half;
  const upper = a + half;
  let k = -Math.floor(Math.log10(a)) - 1;
  let n = 0;
  for (; ; k++) {
    const lo = Math.ceil(scaled(lower, k));
    const up = Math.floor(scaled(upper, k));
    if (lo <= up) {
      n = Math.min(up, Math.max(lo, Math.round(scaled(a, k))));
      break;
    }
  }
  let text: string;
  const pow2 = (hi & 0xfffff) === 0 && u32[1 - HI] === 0;
  if (!pow2 && !nearMidpoint(a, k) && !nearDecimal(lower, k) && !nearDecimal(upper, k)) {
    const digits = String(n);
    text = layout(digits, digits.length - 1 - k);
  } else {
    const g = grisuFloat(a);
    text = g === undefined ? layout(...doubleDigits(a)) : layout(g[0], g[1]);
  }
  return v < 0 ? `-${text}` : text;
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
