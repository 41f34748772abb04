/**
 * The transformer runs queries through the same `Session` path as `hepq query` (optimizer, function registry):
 * a query with the built-in `InvariantMass2` gives the same rows both ways, equal to masses computed here by hand
 * from the muon branches jsroot reads. Also the request checks that ride on that path: a wrong tree name is a
 * 400 naming it, URL inputs follow the allow-list with one answer for every refused URL, temp files are gone
 * when a request finishes, and `hepq servicex` refuses to serve beyond loopback without a token.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HepqError } from '../../../exec/batch/index.js';
import { resultToJson } from '../../../exec/index.js';
import { Session } from '../../../server/session.js';
import { LocalPool, TransformService } from '../../../server/transform/index.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import {
  duckRows,
  getJson,
  type Json,
  pollUntil,
  postJson,
  SAMPLE,
  startServer,
  tempDir,
} from './helpers.js';
import { freePort, spawnHepq } from './procs.js';

const MASS_QUERY = `ds.Where(lambda e: e.nMuon >= 2).Select(lambda e: {
  'm': InvariantMass2(e.Muon_pt[0], e.Muon_eta[0], e.Muon_phi[0], e.Muon_mass[0],
                      e.Muon_pt[1], e.Muon_eta[1], e.Muon_phi[1], e.Muon_mass[1]),
  'met': e.MET_pt})`;

/** The invariant mass of two (pt, η, φ, m) objects, written out. */
function handMass(a: readonly number[], b: readonly number[]): number {
  const p4 = ([pt, eta, phi, m]: readonly number[]) => {
    const px = pt! * Math.cos(phi!);
    const py = pt! * Math.sin(phi!);
    const pz = pt! * Math.sinh(eta!);
    return [px, py, pz, Math.sqrt(px * px + py * py + pz * pz + m! * m!)] as const;
  };
  const [x1, y1, z1, e1] = p4(a);
  const [x2, y2, z2, e2] = p4(b);
  const [x, y, z, e] = [x1 + x2, y1 + y2, z1 + z2, e1 + e2];
  return Math.sqrt(Math.max(0, e * e - x * x - y * y - z * z));
}

describe.skipIf(!existsSync(SAMPLE))('the transformer on the Session path', () => {
  let service: TransformService;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    service = new TransformService({
      dataDir: tempDir('session'),
      dispatcher: new LocalPool({ concurrency: 1, throttleMs: 200 }),
    });
    const s = await startServer(service);
    base = s.url;
    close = async () => {
      await s.app.close();
      await service.close();
    };
  });
  afterAll(async () => close?.());

  it('a built-in function (InvariantMass2) gives the same rows in hepq query and in a transform', async () => {
    const t = await openJsrootTree(SAMPLE, 'Events');
    const cols = await Promise.all(
      ['Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass', 'MET_pt'].map((b) => t.read(b)),
    );
    const [pt, eta, phi, mass, met] = cols as [number[][], number[][], number[][], number[][], number[]];
    const ref = met
      .map((v, i) => ({ i, met: v }))
      .filter(({ i }) => pt[i]!.length >= 2)
      .map(({ i, met: v }) => ({
        m: handMass(
          [pt[i]![0]!, eta[i]![0]!, phi[i]![0]!, mass[i]![0]!],
          [pt[i]![1]!, eta[i]![1]!, phi[i]![1]!, mass[i]![1]!],
        ),
        met: v,
      }));
    expect(ref.length).toBeGreaterThan(50);
    const close = (rows: Array<{ m: number; met: number }>) => {
      expect(rows).toHaveLength(ref.length);
      rows.forEach((r, k) => {
        expect(r.met).toBe(ref[k]!.met);
        expect(Math.abs(r.m - ref[k]!.m)).toBeLessThanOrEqual(1e-9 * Math.max(1, ref[k]!.m));
      });
    };

    // hepq query's path.
    const session = new Session({ threads: 1 });
    const q = resultToJson(await session.query(MASS_QUERY, { files: [SAMPLE], tree: 'Events' }));
    await session.close();
    close(q as Array<{ m: number; met: number }>);

    // The transformer's.
    const sub = await postJson(`${base}/servicex/transformation`, {
      'file-list': [SAMPLE],
      selection: MASS_QUERY,
      codegen: 'func-adl',
      'tree-name': 'Events',
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    const id = sub.body.request_id as string;
    const st = await pollUntil(base, id, ['Complete', 'Fatal']);
    expect(st.status, JSON.stringify(st)).toBe('Complete');
    const out = service.results(id)[0]!;
    close((await duckRows(out.path)) as Array<{ m: number; met: number }>);
  });

  it('a wrong tree name is a 400 that names it (as a wrong branch is)', async () => {
    const r = await postJson(`${base}/servicex/transformation`, {
      'file-list': [SAMPLE],
      selection: 'ds.Select(lambda e: e.MET_pt)',
      codegen: 'func-adl',
      'tree-name': 'Evnts',
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/Evnts/);
  });

  it('temp files left in a request folder are gone when the request finishes', async () => {
    const sub = await postJson(`${base}/servicex/transformation`, {
      'file-list': [SAMPLE, SAMPLE],
      selection: 'ds.Select(lambda e: e.nMuon)',
      codegen: 'func-adl',
    });
    const id = sub.body.request_id as string;
    const dir = service.store.resultsDir(id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '0000_x.parquet.tmp-999-abc'), 'a killed worker was writing this');
    expect((await pollUntil(base, id, ['Complete', 'Fatal'])).status).toBe('Complete');
    expect(readdirSync(dir).sort()).toEqual(
      service
        .results(id)
        .map((r) => r.name)
        .sort(),
    );
  });

  it('URL inputs: only under an allowed prefix; every refused URL gets the same answer', async () => {
    const httpServer = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(req.url === '/data/notroot.root' ? 'not a ROOT file' : 'hello');
    });
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', () => r()));
    const port = (httpServer.address() as { port: number }).port;
    const closed = await freePort();
    const svc = new TransformService({
      dataDir: tempDir('urls'),
      dispatcher: new LocalPool({ concurrency: 1 }),
      allowUrlPrefixes: [`http://127.0.0.1:${port}/data/`],
    });
    try {
      const refusals: string[] = [];
      for (const url of [
        `http://127.0.0.1:${closed}/x.root`, // nothing listens
        `http://127.0.0.1:${port}/secret.root`, // listens, outside the prefix
        `http://127.0.0.1:${port}/data/../secret.root`, // escapes the prefix
        `http://127.0.0.1:${port}@169.254.169.254/data/x.root`, // user-info trick
        new URL(base).origin + '/servicex/transformation', // the service itself
      ]) {
        const err = await svc
          .submit({ fileList: [url], selection: 'ds.Select(lambda e: e.MET_pt)', codegen: 'func-adl' })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(err).toBeInstanceOf(HepqError);
        refusals.push((err as HepqError).message);
      }
      expect(new Set(refusals).size).toBe(1);
      // Under the prefix the URL is read (here it is no ROOT file: that is the file's own error).
      const inside = await svc
        .submit({
          fileList: [`http://127.0.0.1:${port}/data/notroot.root`],
          selection: 'ds.Select(lambda e: e.MET_pt)',
          codegen: 'func-adl',
        })
        .then(
          (id) => id,
          (e: unknown) => e,
        );
      expect(inside instanceof HepqError ? inside.message : '').not.toBe(refusals[0]);
    } finally {
      await svc.close();
      httpServer.close();
    }
  });

  it('hepq servicex refuses a non-loopback host without a token, and a token on the command line', async () => {
    const run = async (...args: string[]) => {
      const p = spawnHepq('servicex', '--port', '0', '--data-dir', tempDir('cli'), ...args);
      const code = await new Promise<number | null>((r) => p.child.once('exit', (c) => r(c)));
      return { code, out: p.out() };
    };
    const open = await run('--host', '0.0.0.0');
    expect(open.code).not.toBe(0);
    expect(open.out).toMatch(/will not listen on 0\.0\.0\.0 without a token/);
    const inline = await run('--token', 'visible-in-ps');
    expect(inline.code).not.toBe(0);
    expect(inline.out).toMatch(/--token-file/);
    expect(inline.out).not.toMatch(/\n\s+at /); // a located message, no stack
  });
});

describe('results polling as the client does it', () => {
  it('later_than = the newest created_at seen lists every file once, in visibility order', async () => {
    const service = new TransformService({
      dataDir: tempDir('later'),
      dispatcher: new LocalPool({ concurrency: 2 }),
    });
    const { app, url } = await startServer(service);
    try {
      const sub = await postJson(`${url}/servicex/transformation`, {
        'file-list': [SAMPLE, SAMPLE, SAMPLE, SAMPLE, SAMPLE, SAMPLE],
        selection: 'ds.Select(lambda e: e.nMuon)',
        codegen: 'func-adl',
      });
      const id = sub.body.request_id as string;
      const seen: string[] = [];
      let newest: string | undefined;
      for (;;) {
        const st = (await getJson(`${url}/servicex/transformation/${id}`)).body;
        const q = newest ? `?later_than=${encodeURIComponent(newest)}` : '';
        const res = (await getJson(`${url}/servicex/transformation/${id}/results${q}`)).body
          .results as Json[];
        for (const r of res) {
          seen.push(r.filename as string);
          newest = r.created_at as string;
        }
        if (st.status === 'Complete') {
          if (seen.length === 6) break;
        } else await new Promise((r) => setTimeout(r, 20));
        if (st.status === 'Complete' && res.length === 0) break;
      }
      expect(seen.sort()).toEqual(
        service
          .results(id)
          .map((r) => r.name)
          .sort(),
      );
      expect(new Set(seen).size).toBe(6);
    } finally {
      await app.close();
      await service.close();
    }
  });
});
