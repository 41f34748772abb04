/**
 * Turns a parquet-wasm panic into a rejection: a panic inside one of its async reads traps (WebAssembly
 * `RuntimeError: unreachable`) in a callback of its own, outside any promise we hold, so it would surface as an
 * uncaught exception that ends the process and leaves the read pending forever.
 */

const pending = new Set<(e: Error) => void>();

/** WebAssembly's trap class (the lib this project compiles against has no WebAssembly typings). */
const RuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new () => Error } }).WebAssembly
  .RuntimeError;

/** True for a WebAssembly trap: the module panicked, and whatever it was reading is left borrowed. */
export function isWasmTrap(e: unknown): boolean {
  return e instanceof RuntimeError;
}

function onUncaught(e: Error): void {
  if (!isWasmTrap(e)) throw e; // not ours: as fatal as it would have been
  // The trap does not say which read panicked: every read in flight fails (the module stays usable).
  for (const reject of [...pending]) reject(e);
}

/** Run a parquet-wasm operation; a trap while it is in flight rejects it instead of crashing the process. */
export async function guardWasm<T>(op: () => Promise<T>): Promise<T> {
  let reject!: (e: Error) => void;
  const trapped = new Promise<never>((_, r) => {
    reject = r;
  });
  if (pending.size === 0) process.on('uncaughtException', onUncaught);
  pending.add(reject);
  try {
    return await Promise.race([op(), trapped]);
  } finally {
    pending.delete(reject);
    if (pending.size === 0) process.off('uncaughtException', onUncaught);
  }
}

/** The message of a parquet-wasm failure: a trap means the file's bytes broke the decoder. */
export function wasmMessage(e: unknown): string {
  if (isWasmTrap(e)) return `the Parquet decoder failed on corrupt data (${(e as Error).message})`;
  return (e as Error)?.message ?? String(e);
}
