/**
 * The cluster client follows a many-morsel run through the queue's event stream: 600 one-entry morsels on two
 * `hepq worker` processes come back in morsel order, each equal to that entry's value as jsroot reads it (a second
 * reader), and their results arrived in `completed` events (the sweep is only the fallback for missed ones).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultToJson } from '../../exec/index.js';
import { ClusterClient, Session } from '../../server/index.js';
import type { MorselTask } from '../../server/parallel/index.js';
import { openJsrootTree } from '../helpers/jsroot-reference.js';
import { SHARED } from '../helpers/shared-data.js';
import { freePort, type Proc, spawnHepq, startRedis } from './servicex/procs.js';

const SAMPLE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const N = 600;

describe.skipIf(!existsSync(SAMPLE))('a many-morsel run followed through QueueEvents', () => {
  let redis: Proc;
  const workers: Proc[] = [];
  let client: ClusterClient;
  let session: Session;

  beforeAll(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    for (const name of ['e1', 'e2']) workers.push(spawnHepq('worker', '--queue', url, '--name', name));
    for (const w of workers) await w.waitFor(/ready on/, 120_000);
    client = new ClusterClient(url);
    session = new Session({ threads: 1, device: 'cpu' });
  });
  afterAll(async () => {
    await client?.close();
    await session?.close();
    for (const w of workers) await w.kill('SIGKILL');
    await redis?.kill('SIGKILL');
  });

  it('600 one-entry morsels come back in order, equal to jsroot, from completed events', async () => {
    const p = await session.prepare('Select(lambda e: e.nMuon)', { files: [SAMPLE] });
    const physical = await session.physical(p);
    const tasks: MorselTask[] = Array.from({ length: N }, (_, i) => ({
      text: p.text,
      plan: p.plan,
      files: p.files,
      tree: p.table.name,
      range: { start: i, stop: i + 1 },
      filters: physical.scan.filters,
      sink: physical.sink,
    }));
    const nMuon = (await (await openJsrootTree(SAMPLE, 'Events')).read('nMuon')) as number[];
    expect(nMuon).toHaveLength(1000);
    const results = await client.run(tasks);
    expect(results.map((r) => resultToJson(r))).toEqual(nMuon.slice(0, N).map((v) => [v]));
    expect(client.followed.byEvent + client.followed.bySweep).toBe(N);
    expect(client.followed.byEvent).toBeGreaterThan(0);
  });
});
