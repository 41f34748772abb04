/**
 * The func_adl logic tests (test/func-adl/testdata) through the public Session, in every verification mode
 * (DuckDB's idea): optimizer on and off × one thread and worker threads over morsels of clusters × the CPU and
 * the GPU (the software adapter here; where a plan cannot be fused the GPU mode runs it on the CPU, as the
 * physical plan says). The events are written to a ROOT file (flat) or a Parquet file (lists of lists), one event per cluster or
 * row group, so morsels really split.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorTable } from '../../connectors/api.js';
import { writeRoot } from '../../connectors/root/index.js';
import { HepqError } from '../../exec/core/index.js';
import { resultToJson } from '../../exec/index.js';
import { Session, writeParquet } from '../../server/index.js';
import { nestedEvents, smallEvents } from '../func-adl/small-events.js';
import { readLogicFile } from '../helpers/logic-test.js';

const dir = mkdtempSync(join(tmpdir(), 'hepq-logic-modes-'));
const MODES = [
  { name: 'as written, one thread', optimize: false, threads: 1, device: 'cpu' },
  { name: 'optimized, one thread', optimize: true, threads: 1, device: 'cpu' },
  { name: 'as written, 2 worker threads', optimize: false, threads: 2, device: 'cpu' },
  { name: 'optimized, 2 worker threads', optimize: true, threads: 2, device: 'cpu' },
  { name: 'optimized, GPU', optimize: true, threads: 1, device: 'gpu' },
] as const;

async function run(
  session: Session,
  text: string,
  file: string,
  mode: (typeof MODES)[number],
): Promise<string> {
  try {
    const r = await session.query(text, {
      files: [file],
      optimize: mode.optimize,
      threads: mode.threads,
      device: mode.device,
    });
    const json = resultToJson(r);
    return Array.isArray(json) && json.length
      ? json.map((x) => JSON.stringify(x)).join('\n')
      : JSON.stringify(json);
  } catch (err) {
    if (!(err instanceof HepqError)) throw err;
    return err.render();
  }
}

/** The flat events as a ROOT TTree, the nested ones (lists of lists) as Parquet: one event per cluster / row group. */
async function toFile(name: string, table: ConnectorTable): Promise<string> {
  if (name === 'execute.test') {
    const path = join(dir, `${name}.root`);
    await writeRoot(path, table.scan(), { clusterEntries: 1, compression: 'none' });
    return path;
  }
  const path = join(dir, `${name}.parquet`);
  await writeParquet(path, table.scan(), { rowGroupRows: 1 });
  return path;
}

const session = new Session({ parallelMinBytes: 0, device: 'cpu' });
afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const [name, table] of [
  ['execute.test', smallEvents()],
  ['execute-nested.test', nestedEvents()],
] as const) {
  const records = readLogicFile(fileURLToPath(new URL(`../func-adl/testdata/${name}`, import.meta.url)));
  describe(`${name} through the Session`, () => {
    let file = '';
    beforeAll(async () => {
      file = await toFile(name, table);
    });
    it('the worker-thread modes really run on workers, over one morsel per event', async () => {
      const p = await session.prepare('Where(lambda e: 1 == 1).Count()', { files: [file], threads: 2 });
      const target = (await session.physical(p, { threads: 2 })).target;
      expect(target.kind).toBe('threads');
      // One event per cluster / row group: one morsel per event.
      if (target.kind === 'threads') expect(target.morsels.length).toBe(table.statistics().entries);
    });
    for (const mode of MODES)
      for (const r of records)
        it(`${mode.name} — ${r.kind}: ${r.title}`, async () => {
          expect(await run(session, r.input, file, mode)).toBe(r.expected);
        });
  });
}
