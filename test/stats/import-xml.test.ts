import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rootHistogramReader } from '../../server/cli/commands/import-xml.js';
import { importHistFactoryXml, Workspace, type WorkspaceSpec } from '../../stats/index.js';
import { HAVE_DATA, STATS_DIR } from './reference-cases.js';

/** Numbers equal to 1e-12 relative (float32 histogram contents times float64 factors), everything else exactly. */
function expectSameSpec(a: unknown, b: unknown, path: string): void {
  if (typeof b === 'number') {
    expect(typeof a, path).toBe('number');
    expect(Math.abs((a as number) - b), path).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
  } else if (Array.isArray(b)) {
    expect(Array.isArray(a) && a.length, path).toBe(b.length);
    for (const [i, x] of b.entries()) expectSameSpec((a as unknown[])[i], x, `${path}[${i}]`);
  } else if (b && typeof b === 'object') {
    expect(Object.keys(a as object).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(b))
      expectSameSpec((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(a, path).toBe(b);
}

describe.skipIf(!HAVE_DATA)('HistFactory XML import', () => {
  it('every XML input imports to its pyhf JSON counterpart', async () => {
    const reader = rootHistogramReader();
    try {
      const names = readdirSync(`${STATS_DIR}xml_inputs`);
      let compared = 0;
      for (const name of names) {
        const json = `${STATS_DIR}workspaces/pyhf_xml_import/${name}.json`;
        if (!existsSync(json)) continue;
        const ws = await importHistFactoryXml(`${STATS_DIR}xml_inputs/${name}/config/example.xml`, {
          readHistogram: reader.read,
        });
        const ref = Workspace.fromFile(json).spec as WorkspaceSpec;
        expectSameSpec(ws.spec, ref, name);
        compared++;
      }
      expect(compared).toBe(names.length);
    } finally {
      await reader.close();
    }
  });
});
