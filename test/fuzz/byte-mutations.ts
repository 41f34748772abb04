/** Mutations of binary files (bit flips, byte runs, truncation, length-field edits) as small replayable recipes. */
import { assertNever } from '../../exec/batch/index.js';
import type { Rng } from './rng.js';

/** One edit of a file's bytes; a list of them is a recipe that reproduces a mutant from the original file. */
export type ByteMutation =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'run'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly op: 'truncate'; readonly at: number }
  /** Overwrite an integer field of `width` bytes (big-endian unless `le`) with `value` (two's complement). */
  | {
      readonly op: 'field';
      readonly at: number;
      readonly width: 1 | 2 | 3 | 4 | 8;
      readonly value: number;
      readonly le?: boolean;
    };

/** A structural field of a file (header word, key length, basket count…) worth editing on purpose. */
export interface Field {
  readonly at: number;
  readonly width: 1 | 2 | 3 | 4 | 8;
  readonly le?: boolean;
  readonly what: string;
}

/** Apply a recipe to a copy of `original`. */
export function applyByteMutations(original: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let out = original.slice();
  for (const m of mutations) {
    switch (m.op) {
      case 'flip':
        if (m.at < out.length) out[m.at]! ^= 1 << m.bit;
        break;
      case 'run':
        for (let i = 0; i < m.bytes.length && m.at + i < out.length; i++) out[m.at + i] = m.bytes[i]!;
        break;
      case 'truncate':
        out = out.slice(0, Math.min(m.at, out.length));
        break;
      case 'field':
        writeInt(out, m.at, m.width, m.value, m.le ?? false);
        break;
      default:
        assertNever(m, 'mutation');
    }
  }
  return out;
}

function writeInt(buf: Uint8Array, at: number, width: number, value: number, le: boolean): void {
  let v = BigInt.asUintN(width * 8, BigInt(Math.trunc(value)));
  for (let i = 0; i < width; i++) {
    const pos = le ? at + i : at + width - 1 - i;
    if (pos >= 0 && pos < buf.length) buf[pos] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function readInt(buf: Uint8Array, f: Field): number {
  let v = 0;
  for (let i = 0; i < f.width; i++) {
    const pos = f.le ? f.at + f.width - 1 - i : f.at + i;
    v = v * 256 + (buf[pos] ?? 0);
  }
  return v;
}

/** Values that break length and offset fields: zero, negative, huge, off by one, the file size. */
function hostileValue(rng: Rng, f: Field, current: number, fileSize: number): number {
  const max = 2 ** (f.width * 8);
  const candidates = [
    0,
    1,
    -1,
    -2,
    max / 2 - 1,
    max / 2,
    max - 2,
    current + 1,
    current - 1,
    current * 2,
    Math.floor(current / 2),
    fileSize,
    fileSize + 1,
    rng.int(Math.min(max, 2 ** 32)),
  ];
  return rng.pick(candidates);
}

export interface MutationPlan {
  /** Structural fields of the original file (headers, keys, baskets) to aim length edits at. */
  readonly fields: readonly Field[];
  /** Byte ranges where the interesting structure sits (e.g. a Parquet footer), favoured by random edits. */
  readonly hot?: readonly (readonly [number, number])[];
}

/** A random recipe of one to three mutations of a file of `size` bytes. */
export function randomByteMutations(rng: Rng, original: Uint8Array, plan: MutationPlan): ByteMutation[] {
  const size = original.length;
  const out: ByteMutation[] = [];
  const n = rng.chance(0.6) ? 1 : rng.range(2, 3);
  const position = (): number => {
    if (plan.hot?.length && rng.chance(0.5)) {
      const [lo, hi] = rng.pick(plan.hot);
      return rng.range(lo, Math.max(lo, hi - 1));
    }
    return rng.int(size);
  };
  for (let i = 0; i < n; i++) {
    const kind = rng.next();
    if (kind < 0.4 && plan.fields.length) {
      const f = rng.pick(plan.fields);
      const value = hostileValue(rng, f, readInt(original, f), size);
      out.push({ op: 'field', at: f.at, width: f.width, value, ...(f.le ? { le: true } : {}) });
    } else if (kind < 0.65) {
      out.push({ op: 'flip', at: position(), bit: rng.int(8) });
    } else if (kind < 0.85) {
      const len = rng.chance(0.5) ? rng.range(1, 4) : rng.range(5, 64);
      const fill = rng.pick([0x00, 0xff, 0x7f, 0x80, -1]);
      const bytes = Array.from({ length: len }, () => (fill < 0 ? rng.int(256) : fill));
      out.push({ op: 'run', at: position(), bytes });
    } else if (kind < 0.95) {
      out.push({
        op: 'field',
        at: position(),
        width: rng.pick([2, 4, 8] as const),
        value: hostileValue(rng, { at: 0, width: 4, what: '' }, 0, size),
      });
    } else {
      out.push({ op: 'truncate', at: rng.int(size) });
    }
  }
  return out;
}
