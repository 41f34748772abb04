/** Small pieces every data command shares: a non-negative integer option, `--device`, and writing a result out. */
import { writeFile } from 'node:fs/promises';
import { HepqError } from '../../exec/batch/index.js';
import type { QueryDevice } from '../session.js';
import type { CliIO } from './command.js';

/** `--name N` as a non-negative integer (undefined when not given). */
export function nonNegativeInt(s: string | undefined, name: string): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0)
    throw new HepqError('cli/bad-number', `--${name} must be a non-negative integer, not '${s}'`);
  return n;
}

const DEVICES: readonly QueryDevice[] = ['cpu', 'gpu', 'auto', 'duckdb'];

/** `--device D` checked (undefined when not given). */
export function deviceOption(s: string | undefined): QueryDevice | undefined {
  if (s === undefined) return undefined;
  if (!(DEVICES as readonly string[]).includes(s))
    throw new HepqError('cli/bad-device', `unknown device '${s}'`, {
      hint: 'use --device cpu, gpu, auto or duckdb',
    });
  return s as QueryDevice;
}

/** Text to the command's output, bytes to standard output, or either to `--out FILE` (saying so on stderr). */
export async function emit(bytes: string | Uint8Array, out: string | undefined, io: CliIO): Promise<void> {
  if (out) {
    await writeFile(out, bytes);
    const n = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
    io.err(`wrote ${out} (${n} bytes)\n`);
  } else if (typeof bytes === 'string') io.out(bytes);
  else process.stdout.write(bytes);
}
