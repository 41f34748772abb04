/** The command-line contract: `hepq inspect`, `hepq dump` in every format, errors, and reading over HTTP range requests. */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoot } from '../../../server/index.js';
import { runCli } from '../../helpers/cli.js';
import { manifestTrees } from '../../helpers/manifest.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

const run = runCli;

describe('hepq command line', () => {
  it('prints help with every command, and suggests a command for a typo', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    for (const c of ['inspect', 'dump', 'demo']) expect(help.out).toContain(c);
    const typo = await run('inpsect');
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("did you mean 'inspect'");
  });

  it('refuses a non-integer number option of the server commands before starting anything', async () => {
    for (const [cmd, opt] of [
      ['servicex', '--port'],
      ['serve', '--max-rows'],
      ['worker', '--lock-ms'],
    ] as const) {
      const r = await run(cmd, opt, 'abc', ...(cmd === 'worker' ? ['--queue', 'redis://127.0.0.1:1'] : []));
      expect(r.code, cmd).not.toBe(0);
      expect(r.err, cmd).toContain(`${opt} must be a non-negative integer, not 'abc'`);
    }
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('hepq inspect / dump on the shared files', () => {
  it('inspect --json lists every tree with entries and branches as the manifest says', async () => {
    const { code, out } = await run('inspect', `${ROOT_DATA}uproot-nesteddirs.root`, '--json');
    expect(code).toBe(0);
    const info = JSON.parse(out);
    const want = manifestTrees().get('uproot-nesteddirs.root')!;
    for (const t of want) {
      const o = info.objects.find((x: { path: string }) => x.path === t.path);
      expect(o).toMatchObject({ class: 'TTree', entries: t.entries });
      expect(o.branches).toHaveLength(t.branches);
      for (const b of o.branches)
        expect(Object.keys(b)).toEqual(
          expect.arrayContaining(['name', 'type', 'column', 'compressed_bytes', 'uncompressed_bytes']),
        );
    }
  });

  it('inspect (text) names histograms and trees', async () => {
    const { out } = await run('inspect', `${ROOT_DATA}uproot-hepdata-example.root`);
    expect(out).toMatch(/hpx\s+TH1F/);
    expect(out).toMatch(/ntuple\s+TNtuple\s+75000 entries, 5 branches/);
  });

  it('dump jsonl: one object per entry, jagged values as arrays, consistent with the counter', async () => {
    const { code, out } = await run(
      'dump',
      `${ROOT_DATA}uproot-HZZ.root`,
      '--tree',
      'events',
      '--branch',
      'NJet',
      '--branch',
      'Jet_Px',
      '--stop',
      '50',
    );
    expect(code).toBe(0);
    const rows = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(50);
    for (const r of rows) expect(r.Jet_Px).toHaveLength(r.NJet);
  });

  it('dump writes 64-bit integers beyond 2^53 as strings', async () => {
    const { out } = await run(
      'dump',
      `${ROOT_DATA}uproot-sample-6.20.04-zlib.root`,
      '--tree',
      'sample',
      '--branch',
      'u8',
      '--format',
      'json',
    );
    const rows = JSON.parse(out) as { u8: number | string }[];
    expect(rows).toHaveLength(30);
    for (const r of rows) {
      if (typeof r.u8 === 'string') expect(BigInt(r.u8) > 2n ** 53n).toBe(true);
      else expect(Number.isSafeInteger(r.u8)).toBe(true);
    }
  });

  it('dump csv, arrow and parquet carry the same values as jsonl', async () => {
    const args = [
      'dump',
      `${ROOT_DATA}uproot-HZZ-zstd.root`,
      '--tree',
      'events',
      '--branch',
      'MET_px',
      '--branch',
      'Muon_Px',
      '--stop',
      '20',
    ];
    const jsonl = (await run(...args)).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const csv = (await run(...args, '--format', 'csv')).out.trim().split('\n');
    expect(csv[0]).toBe('MET_px,Muon_Px');
    expect(csv).toHaveLength(21);
    expect(Number(csv[1]!.split(',')[0])).toBe(jsonl[0].MET_px);
    const dir = await import('node:fs/promises').then((fs) => fs.mkdtemp('/tmp/hepq-dump-'));
    expect((await run(...args, '--format', 'arrow', '--out', `${dir}/a.arrows`)).code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const table = arrow.tableFromIPC(readFileSync(`${dir}/a.arrows`));
    expect(table.numRows).toBe(20);
    expect(table.getChild('MET_px')!.get(3)).toBeCloseTo(jsonl[3].MET_px, 5);
    expect(Array.from(table.getChild('Muon_Px')!.get(3) ?? [])).toEqual(
      jsonl[3].Muon_Px.map((x: number) => Math.fround(x)),
    );
    expect((await run(...args, '--format', 'parquet', '--out', `${dir}/a.parquet`)).code).toBe(0);
    const pq = await import('parquet-wasm');
    const back = arrow.tableFromIPC(pq.readParquet(readFileSync(`${dir}/a.parquet`)).intoIPCStream());
    expect(back.numRows).toBe(20);
    expect(back.getChild('MET_px')!.get(7)).toBeCloseTo(jsonl[7].MET_px, 5);
  });

  it('errors are located and suggest the name that exists', async () => {
    const tree = await run('dump', `${ROOT_DATA}uproot-HZZ.root`, '--tree', 'evnts');
    expect(tree.code).toBe(1);
    expect(tree.err).toContain("did you mean 'events'");
    const branch = await run(
      'dump',
      `${ROOT_DATA}uproot-HZZ.root`,
      '--tree',
      'events',
      '--branch',
      'Jet_Pxx',
    );
    expect(branch.err).toContain("did you mean 'Jet_Px'");
    const missing = await run('inspect', '/nonexistent/file.root');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('/nonexistent/file.root');
    const notRoot = await run('inspect', `${ROOT_DATA}MANIFEST.md`);
    expect(notRoot.err).toContain('not a ROOT file');
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('reading over HTTP range requests', () => {
  let server: Server;
  let base = '';
  const ranges: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = ROOT_DATA + decodeURIComponent(req.url!.slice(1));
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        res.writeHead(404).end();
        return;
      }
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'content-length': size, 'accept-ranges': 'bytes' }).end();
        return;
      }
      if (!m) {
        res.writeHead(200, { 'content-length': size });
        createReadStream(path).pipe(res);
        return;
      }
      ranges.push(req.headers.range!);
      const [a, b] = [Number(m[1]), Math.min(Number(m[2]), size - 1)];
      res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${size}`, 'content-length': b - a + 1 });
      createReadStream(path, { start: a, end: b }).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads the same values over HTTP as from disk, with range requests only', async () => {
    const name = 'NanoAODv5_sample.root';
    const remote = await openRoot(base + name);
    const local = await openRoot(ROOT_DATA + name);
    const branches = ['nMuon', 'Muon_pt', 'Jet_eta', 'event'];
    const a = await remote.arrow('Events', { branches });
    const b = await local.arrow('Events', { branches });
    expect(a.numRows).toBe(1000);
    for (const br of branches)
      expect(JSON.stringify(a.getChild(br)!.toArray(), (_, v) => (typeof v === 'bigint' ? `${v}` : v))).toBe(
        JSON.stringify(b.getChild(br)!.toArray(), (_, v) => (typeof v === 'bigint' ? `${v}` : v)),
      );
    expect(ranges.length).toBeGreaterThan(0);
    await remote.close();
    await local.close();
  });
});
