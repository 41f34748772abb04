/**
 * XXH3-64 (seed 0, default secret): the checksum RNTuple stores after pages and at the end of envelopes.
 * Short inputs use BigInt arithmetic; the long-input stripe loop works on 32-bit halves (no BigInt per lane).
 */

const M64 = (1n << 64n) - 1n;
const P32_1 = 0x9e3779b1n;
const P32_2 = 0x85ebca77n;
const P32_3 = 0xc2b2ae3dn;
const P64_1 = 0x9e3779b185ebca87n;
const P64_2 = 0xc2b2ae3d27d4eb4fn;
const P64_3 = 0x165667b19e3779f9n;
const P64_4 = 0x85ebca77c2b2ae63n;
const P64_5 = 0x27d4eb2f165667c5n;
const MX1 = 0x165667919e3779f9n;
const MX2 = 0x9fb21c651e98df25n;

// The default 192-byte secret of XXH3 (a constant of the algorithm).
const SECRET = Uint8Array.from(
  (
    'b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671fcb79e64eccc0e578825ad07dccff7221' +
    'b8084674f743248ee03590e6813a264c3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8' +
    'a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364eac5ac8334d3ebc3c581a0fffa1363eb' +
    '170ddd51b7f0da49d316552629d4689e2b16be587d47a1fc8ff8b8d17ad031ce45cb3a8f95160428afd7fbcabb4b407e'
  ).match(/../g)!,
  (h) => Number.parseInt(h, 16),
);

const le32 = (b: Uint8Array, i: number): number =>
  (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
const le64 = (b: Uint8Array, i: number): bigint => BigInt(le32(b, i)) | (BigInt(le32(b, i + 4)) << 32n);

function fold(a: bigint, b: bigint): bigint {
  const p = a * b;
  return (p & M64) ^ (p >> 64n);
}
function avalanche(h: bigint): bigint {
  h ^= h >> 37n;
  h = (h * MX1) & M64;
  return h ^ (h >> 32n);
}
function avalanche64(h: bigint): bigint {
  h ^= h >> 33n;
  h = (h * P64_2) & M64;
  h ^= h >> 29n;
  h = (h * P64_3) & M64;
  return h ^ (h >> 32n);
}
const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & M64;
function swap64(x: bigint): bigint {
  let y = 0n;
  for (let i = 0n; i < 64n; i += 8n) y = (y << 8n) | ((x >> i) & 0xffn);
  return y;
}
const mix16 = (b: Uint8Array, i: number, s: number) =>
  fold(le64(b, i) ^ le64(SECRET, s), le64(b, i + 8) ^ le64(SECRET, s + 8));

function short(b: Uint8Array): bigint {
  const n = b.length;
  if (n > 8) {
    const lo = le64(b, 0) ^ (le64(SECRET, 24) ^ le64(SECRET, 32));
    const hi = le64(b, n - 8) ^ (le64(SECRET, 40) ^ le64(SECRET, 48));
    return avalanche((BigInt(n) + swap64(lo) + hi + fold(lo, hi)) & M64);
  }
  if (n >= 4) {
    const x = (BigInt(le32(b, n - 4)) + (BigInt(le32(b, 0)) << 32n)) ^ (le64(SECRET, 8) ^ le64(SECRET, 16));
    let h = x ^ rotl(x, 49n) ^ rotl(x, 24n);
    h = (h * MX2) & M64;
    h ^= (h >> 35n) + BigInt(n);
    h = (h * MX2) & M64;
    return h ^ (h >> 28n);
  }
  if (n > 0) {
    const combined = ((b[0]! << 16) | (b[n >> 1]! << 24) | b[n - 1]! | (n << 8)) >>> 0;
    return avalanche64(BigInt((combined ^ le32(SECRET, 0) ^ le32(SECRET, 4)) >>> 0));
  }
  return avalanche64(le64(SECRET, 56) ^ le64(SECRET, 64));
}

function medium(b: Uint8Array): bigint {
  const n = b.length;
  let acc = BigInt(n) * P64_1;
  if (n <= 128) {
    const pairs = n > 96 ? 4 : n > 64 ? 3 : n > 32 ? 2 : 1;
    for (let k = 0; k < pairs; k++) acc += mix16(b, 16 * k, 32 * k) + mix16(b, n - 16 * (k + 1), 32 * k + 16);
    return avalanche(acc & M64);
  }
  for (let i = 0; i < 8; i++) acc += mix16(b, 16 * i, 16 * i);
  acc = avalanche(acc & M64);
  const rounds = Math.floor(n / 16);
  for (let i = 8; i < rounds; i++) acc += mix16(b, 16 * i, 16 * (i - 8) + 3);
  acc += mix16(b, n - 16, 136 - 17);
  return avalanche(acc & M64);
}

/** The secret's 32-bit little-endian words at every byte offset (stripes read it at unaligned offsets). */
const SECRET32 = Uint32Array.from({ length: SECRET.length - 3 }, (_, i) => le32(SECRET, i));
const TWO32 = 4294967296;

/**
 * One 64-byte stripe: for each lane, acc[k ^ 1] += value and acc[k] += lo32(value ^ key) * hi32(value ^ key),
 * with the 64-bit lanes kept as (lo, hi) pairs of doubles (all partial sums stay below 2^53).
 */
function accumulate512(acc: Float64Array, dv: DataView, i: number, s: number): void {
  for (let k = 0; k < 8; k++) {
    const vlo = dv.getUint32(i + 8 * k, true);
    const vhi = dv.getUint32(i + 8 * k + 4, true);
    const j = 2 * (k ^ 1);
    let lo = acc[j]! + vlo;
    let hi = acc[j + 1]! + vhi;
    if (lo >= TWO32) {
      lo -= TWO32;
      hi++;
    }
    acc[j] = lo;
    acc[j + 1] = hi >= TWO32 ? hi - TWO32 : hi;
    const a = (vlo ^ SECRET32[s + 8 * k]!) >>> 0;
    const b = (vhi ^ SECRET32[s + 8 * k + 4]!) >>> 0;
    const a0 = a & 0xffff;
    const a1 = a >>> 16;
    const b0 = b & 0xffff;
    const b1 = b >>> 16;
    const mid = a1 * b0 + a0 * b1;
    const midLo = mid % 65536;
    let plo = a0 * b0 + midLo * 65536;
    let phi = a1 * b1 + (mid - midLo) / 65536;
    if (plo >= TWO32) {
      plo -= TWO32;
      phi++;
    }
    let l2 = acc[2 * k]! + plo;
    let h2 = acc[2 * k + 1]! + phi;
    if (l2 >= TWO32) {
      l2 -= TWO32;
      h2++;
    }
    acc[2 * k] = l2;
    acc[2 * k + 1] = h2 >= TWO32 ? h2 - TWO32 : h2;
  }
}

function long(b: Uint8Array): bigint {
  const n = b.length;
  const init = [P32_3, P64_1, P64_2, P64_3, P64_4, P32_2, P64_5, P32_1];
  const acc = new Float64Array(16);
  init.forEach((v, k) => {
    acc[2 * k] = Number(v & 0xffffffffn);
    acc[2 * k + 1] = Number(v >> 32n);
  });
  const stripesPerBlock = (192 - 64) / 8;
  const blockLen = 64 * stripesPerBlock;
  const blocks = Math.floor((n - 1) / blockLen);
  const scramble = () => {
    // v ^= v >> 47; v ^= key; v *= PRIME32_1 (mod 2^64), on (lo, hi) halves.
    for (let k = 0; k < 8; k++) {
      const lo = (acc[2 * k]! ^ (acc[2 * k + 1]! >>> 15) ^ SECRET32[128 + 8 * k]!) >>> 0;
      const hi = (acc[2 * k + 1]! ^ SECRET32[132 + 8 * k]!) >>> 0;
      const p = 0x9e3779b1;
      const l0 = lo & 0xffff;
      const l1 = lo >>> 16;
      const mid = l1 * (p & 0xffff) + l0 * (p >>> 16);
      const midLo = mid % 65536;
      let plo = l0 * (p & 0xffff) + midLo * 65536;
      let phi = l1 * (p >>> 16) + (mid - midLo) / 65536;
      if (plo >= TWO32) {
        plo -= TWO32;
        phi++;
      }
      acc[2 * k] = plo;
      acc[2 * k + 1] = (phi + (Math.imul(hi, p) >>> 0)) % TWO32;
    }
  };
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let blk = 0; blk < blocks; blk++) {
    for (let s = 0; s < stripesPerBlock; s++) accumulate512(acc, dv, blk * blockLen + 64 * s, 8 * s);
    scramble();
  }
  const stripes = Math.floor((n - 1 - blockLen * blocks) / 64);
  for (let s = 0; s < stripes; s++) accumulate512(acc, dv, blocks * blockLen + 64 * s, 8 * s);
  accumulate512(acc, dv, n - 64, 192 - 64 - 7);
  const lane = (k: number) => BigInt(acc[2 * k]!) | (BigInt(acc[2 * k + 1]!) << 32n);
  let r = (BigInt(n) * P64_1) & M64;
  for (let i = 0; i < 4; i++)
    r += fold(lane(2 * i) ^ le64(SECRET, 11 + 16 * i), lane(2 * i + 1) ^ le64(SECRET, 11 + 16 * i + 8));
  return avalanche(r & M64);
}

/** XXH3 64-bit hash (seed 0) of `b`. */
export function xxh3(b: Uint8Array): bigint {
  if (b.length <= 16) return short(b);
  if (b.length <= 240) return medium(b);
  return long(b);
}

/** Whether the 8 little-endian bytes `stored` are the XXH3 of `data`. */
export function checksumOk(data: Uint8Array, stored: Uint8Array): boolean {
  return stored.length >= 8 && xxh3(data) === le64(stored, 0);
}
