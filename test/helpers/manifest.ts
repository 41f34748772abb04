/** Facts from ../shared/data/root/MANIFEST.md: each file's trees with their entry and branch counts. */
import { readFileSync } from 'node:fs';
import { ROOT_DATA } from './shared-data.js';

export interface ManifestTree {
  readonly path: string;
  readonly entries: number;
  readonly branches: number;
}

/** Tree facts per file name, parsed from the manifest's table. */
export function manifestTrees(): Map<string, ManifestTree[]> {
  const text = readFileSync(`${ROOT_DATA}MANIFEST.md`, 'utf8');
  const out = new Map<string, ManifestTree[]>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const file = /^`([^`]+\.root)`$/.exec(cells[1] ?? '')?.[1];
    if (!file) continue;
    const trees: ManifestTree[] = [];
    for (const m of (cells[5] ?? '').matchAll(/TTree `([^`]+)`: (\d+) entries, (\d+) branches/g)) {
      trees.push({ path: m[1]!, entries: Number(m[2]), branches: Number(m[3]) });
    }
    out.set(file, trees);
  }
  return out;
}
