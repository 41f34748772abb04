/** Locations of the shared real-data folders, and a loud skip when they are absent. */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const ROOT_DATA = `${SHARED}data/root/`;
export const HAVE_ROOT_DATA = existsSync(ROOT_DATA);

if (!HAVE_ROOT_DATA) {
  process.stderr.write(
    `\n*** ../shared/data/root is absent: tests that need the real ROOT files are SKIPPED ***\n\n`,
  );
}

/** The TTree-bearing ROOT files of the shared data (RNTuple files are not TTrees). */
export function ttreeFiles(): string[] {
  if (!HAVE_ROOT_DATA) return [];
  return readdirSync(ROOT_DATA)
    .filter((f) => f.endsWith('.root') && !f.includes('rntuple'))
    .sort();
}
