/**
 * The ServiceX REST contract end to end with the in-process pool: ADL task 5 as qastle over several copies of
 * the CMS sample, polled to completion, downloaded over HTTP (whole, HEAD, Range) and over the S3 path with the
 * real AWS SDK, read back with DuckDB and compared with the same query run locally through executePlan.
 */
import { copyFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoot, openRootTable } from '../../../connectors/root/index.js';
import { valueAt } from '../../../exec/batch/index.js';
import { resultToJson } from '../../../exec/index.js';
import { parseFuncAdl } from '../../../query/index.js';
import { LocalPool, TransformService } from '../../../server/transform/index.js';
import { openJsrootRNTuple } from '../../connectors/root/rntuple/jsroot-rntuple.js';
import { executePlan } from '../../helpers/bound-exec.js';
import { SHARED } from '../../helpers/shared-data.js';
import {
  duckRows,
  getJson,
  type Json,
  pollUntil,
  postJson,
  Q5_QASTLE,
  Q5_TEXT,
  SAMPLE,
  startServer,
  tempDir,
} from './helpers.js';

const HAVE = existsSync(SAMPLE);
const MET_SELECTION = 'ds.Select(lambda e: e.MET_pt)';
if (!HAVE) process.stderr.write('\n*** ../shared/conformance-data is absent: ServiceX tests SKIPPED ***\n\n');

describe.skipIf(!HAVE)('ServiceX endpoint (local pool)', () => {
  const dir = tempDir('contract');
  const inputs = tempDir('inputs');
  let service: TransformService;
  let base: string;
  let close: () => Promise<void>;
  let reference: number[];

  beforeAll(async () => {
    symlinkSync(SAMPLE, join(inputs, 'copy-a.root'));
    copyFileSync(SAMPLE, join(inputs, 'copy-b.root'));
    writeFileSync(join(inputs, 'corrupt.root'), readFileSync(SAMPLE).subarray(0, 20_000));
    service = new TransformService({
      dataDir: dir,
      dispatcher: new LocalPool({ concurrency: 2 }),
      reuseResults: true,
    });
    const s = await startServer(service);
    base = s.url;
    close = async () => {
      await s.app.close();
      await service.close();
    };
    const table = await openRootTable(SAMPLE, 'Events');
    reference = resultToJson(await executePlan(parseFuncAdl(Q5_TEXT), table)) as number[];
    await table.close();
  });
  afterAll(async () => close?.());

  it('describes itself: version, code generators, capabilities', async () => {
    const { status, body } = await getJson(`${base}/servicex`);
    expect(status).toBe(200);
    expect(typeof body['app-version']).toBe('string');
    expect(Object.keys(body['code-gen-image'] as Json)).toContain('uproot');
    expect(body.capabilities).toEqual(
      expect.arrayContaining([
        'poll_local_transformation_results',
        'long_sample_titles_10240',
        'generate_file_urls',
      ]),
    );
  });

  it('runs ADL task 5 over repeated, symlinked and copied inputs; HTTP and S3 downloads equal the local result', async () => {
    expect(reference.length).toBeGreaterThan(10); // Z→μμ candidates exist in the sample
    const fileList = [SAMPLE, SAMPLE, join(inputs, 'copy-a.root'), join(inputs, 'copy-b.root')];
    const sub = await postJson(`${base}/servicex/transformation`, {
      title: 'adl q5',
      'file-list': fileList,
      selection: Q5_QASTLE,
      codegen: 'uproot',
      'result-destination': 'object-store',
      'result-format': 'parquet',
    });
    expect(sub.status).toBe(200);
    const id = sub.body.request_id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const st = await pollUntil(base, id, ['Complete', 'Fatal']);
    expect(st).toMatchObject({
      request_id: id,
      status: 'Complete',
      files: 4,
      'files-completed': 4,
      'files-failed': 0,
      'files-remaining': 0,
      'result-format': 'parquet',
      'tree-name': 'Events',
      selection: Q5_QASTLE,
    });
    for (const k of [
      'did',
      'image',
      'generated-code-cm',
      'app-version',
      'submit-time',
      'finish-time',
      'result-destination',
    ])
      expect(st[k], k).toBeTruthy();

    const results = (await getJson(`${base}/servicex/transformation/${id}/results`)).body.results as Json[];
    expect(results).toHaveLength(4);
    const names = results.map((r) => r.filename as string);
    expect(new Set(names).size).toBe(4);
    const later = (
      await getJson(
        `${base}/servicex/transformation/${id}/results?later_than=${encodeURIComponent('2100-01-01T00:00:00Z')}`,
      )
    ).body;
    expect(later.results).toEqual([]);

    // HTTP: signed-style URLs from file-urls, then GET, HEAD and a Range.
    const urls = (
      await postJson(`${base}/servicex/transformation/file-urls`, { request_id: id, file_list: names })
    ).body.uris as Record<string, [string, Json, number]>;
    const dl = tempDir('dl');
    for (const r of results) {
      const [url] = urls[r.filename as string]!;
      const resp = await fetch(url);
      expect(resp.status).toBe(200);
      const bytes = new Uint8Array(await resp.arrayBuffer());
      expect(bytes.length).toBe(r.size);
      expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1');
      const path = join(dl, r.filename as string);
      writeFileSync(path, bytes);
      const rows = await duckRows(path);
      expect(rows.map((x) => Object.values(x)[0])).toEqual(reference);
      const head = await fetch(url, { method: 'HEAD' });
      expect(head.headers.get('content-length')).toBe(String(r.size));
      const part = await fetch(url, { headers: { range: 'bytes=-8' } });
      expect(part.status).toBe(206);
      expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 8));
      expect(part.headers.get('content-range')).toBe(
        `bytes ${bytes.length - 8}-${bytes.length - 1}/${bytes.length}`,
      );
    }

    // S3: the real AWS SDK, path style, bucket = request id.
    const s3 = new S3Client({
      endpoint: `${base}/servicex/s3`,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'hepq', secretAccessKey: 'hepq' },
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: id }));
    expect(listed.Contents?.map((c) => c.Key).sort()).toEqual([...names].sort());
    for (const c of listed.Contents ?? []) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: id, Key: c.Key! }));
      expect(head.ContentLength).toBe(c.Size);
      const obj = await s3.send(new GetObjectCommand({ Bucket: id, Key: c.Key! }));
      const bytes = await obj.Body!.transformToByteArray();
      const path = join(dl, `s3-${c.Key}`);
      writeFileSync(path, bytes);
      expect((await duckRows(path)).map((x) => Object.values(x)[0])).toEqual(reference);
      const ranged = await s3.send(new GetObjectCommand({ Bucket: id, Key: c.Key!, Range: 'bytes=0-3' }));
      expect(new TextDecoder().decode(await ranged.Body!.transformToByteArray())).toBe('PAR1');
    }
    await expect(s3.send(new HeadObjectCommand({ Bucket: id, Key: 'nope.parquet' }))).rejects.toThrow();
    s3.destroy();

    // The same request again (same title) is served from the cache (reuseResults is on here); another title
    // and ignore-cache recompute.
    const retitled = await postJson(`${base}/servicex/transformation`, {
      title: 'adl q5, again',
      'file-list': fileList,
      selection: Q5_QASTLE,
      codegen: 'uproot',
      'result-format': 'parquet',
    });
    expect(retitled.body.request_id).not.toBe(id);
    await fetch(`${base}/servicex/transformation/${retitled.body.request_id}`, { method: 'DELETE' });
    const again = await postJson(`${base}/servicex/transformation`, {
      title: 'adl q5',
      'file-list': fileList,
      selection: Q5_QASTLE,
      codegen: 'uproot',
      'result-format': 'parquet',
    });
    expect(again.body.request_id).toBe(id);
    const fresh = await postJson(`${base}/servicex/transformation`, {
      'file-list': fileList,
      selection: Q5_QASTLE,
      codegen: 'uproot',
      'result-format': 'parquet',
      'ignore-cache': true,
    });
    expect(fresh.body.request_id).not.toBe(id);
    await pollUntil(base, fresh.body.request_id as string, ['Complete']);
    const list = (await getJson(`${base}/servicex/transformation`)).body.requests as Json[];
    expect(list.map((r) => r.request_id)).toEqual(expect.arrayContaining([id, fresh.body.request_id]));
  });

  it('a missing and a corrupt input fail with their errors in the status; the others complete', async () => {
    const missing = join(inputs, 'missing.root');
    const corrupt = join(inputs, 'corrupt.root');
    const sub = await postJson(`${base}/servicex/transformation`, {
      'file-list': [SAMPLE, missing, corrupt],
      selection: Q5_QASTLE,
      codegen: 'uproot',
      'result-format': 'parquet',
    });
    expect(sub.status).toBe(200);
    const st = await pollUntil(base, sub.body.request_id as string, ['Complete', 'Fatal']);
    expect(st).toMatchObject({ status: 'Complete', files: 3, 'files-completed': 1, 'files-failed': 2 });
    const errors = st['file-errors'] as Json[];
    expect(errors.map((e) => e.file).sort()).toEqual([corrupt, missing].sort());
    expect(errors.find((e) => e.file === missing)!.error).toMatch(/missing\.root/);
    expect(errors.find((e) => e.file === corrupt)!.error).toMatch(/corrupt\.root/);
  });

  it('bad requests fail the POST with a located 400', async () => {
    const post = (body: Json) => postJson(`${base}/servicex/transformation`, body);
    const syntax = await post({
      'file-list': [SAMPLE],
      selection: "(Select (call EventDataset) (lambda (list e) (attr e 'MET_pt'))",
      codegen: 'uproot',
    });
    expect(syntax.status).toBe(400);
    expect(syntax.body.message).toMatch(/syntax/);
    expect(syntax.body.message).toMatch(/\^/);
    const branch = await post({
      'file-list': [SAMPLE],
      selection: 'ds.Select(lambda e: e.MET_ptt)',
      codegen: 'func-adl',
    });
    expect(branch.status).toBe(400);
    expect(branch.body.message).toMatch(/MET_ptt/);
    expect(branch.body.message).toMatch(/MET_pt\b/); // the suggestion
    const hist = await post({
      'file-list': [SAMPLE],
      selection: 'ds.Select(lambda e: e.MET_pt).Count()',
      codegen: 'func-adl',
    });
    expect(hist.status).toBe(400);
    expect(hist.body.message).toMatch(/one value/);
    const rucio = await post({
      did: 'rucio://mc16_13TeV:DAOD_PHYSLITE.x',
      selection: Q5_QASTLE,
      codegen: 'uproot',
    });
    expect(rucio.status).toBe(400);
    expect(rucio.body.message).toMatch(/cannot resolve 'rucio'/);
    const opendata = await post({ did: 'cernopendata://1507', selection: Q5_QASTLE, codegen: 'uproot' });
    expect(opendata.body.message).toMatch(/cernopendata/);
    const fmt = await post({
      'file-list': [SAMPLE],
      selection: Q5_QASTLE,
      codegen: 'uproot',
      'result-format': 'csv',
    });
    expect(fmt.status).toBe(400);
    expect(fmt.body.message).toMatch(/result format 'csv'/);
    const codegen = await post({ 'file-list': [SAMPLE], selection: Q5_QASTLE, codegen: 'atlasr22' });
    expect(codegen.body.message).toMatch(/codegen 'atlasr22'/);
    const none = await post({ selection: Q5_QASTLE });
    expect(none.body.message).toMatch(/did.*file-list/);
    expect((await getJson(`${base}/servicex/transformation/not-an-id`)).status).toBe(404);
  });

  it('with input roots, files outside them (also through a symlink) are refused', async () => {
    const confined = new TransformService({
      dataDir: tempDir('confined'),
      dispatcher: new LocalPool({ concurrency: 1 }),
      inputRoots: [inputs],
    });
    await confined.start();
    try {
      const sub = (fileList: string[]) =>
        confined.submit({ fileList, selection: MET_SELECTION, codegen: 'func-adl' });
      await expect(sub([SAMPLE])).rejects.toThrow(/outside the data roots/);
      await expect(sub([join(inputs, 'copy-a.root')])).rejects.toThrow(/outside the data roots/); // a symlink out
      await expect(sub([join(inputs, '..', 'elsewhere.root')])).rejects.toThrow(/outside the data roots/);
      expect(await sub([join(inputs, 'copy-b.root')])).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await confined.close();
    }
  });

  it('result-format root-file: one TTree "servicex" per input, read back by the ROOT reader', async () => {
    const sub = await postJson(`${base}/servicex/transformation`, {
      'file-list': [SAMPLE, SAMPLE],
      selection: Q5_QASTLE,
      codegen: 'uproot',
      'result-format': 'root-file',
    });
    expect(sub.status).toBe(200);
    const id = sub.body.request_id as string;
    const st = await pollUntil(base, id, ['Complete', 'Fatal']);
    expect(st).toMatchObject({ status: 'Complete', 'files-completed': 2, 'result-format': 'root-file' });
    for (const r of service.results(id)) {
      expect(r.name).toMatch(/\.root$/);
      const file = await openRoot(r.path);
      const tree = await file.tree('servicex');
      const batch = await tree.read(tree.readable().map((b) => b.name));
      const values = Array.from({ length: batch.length }, (_, i) => valueAt(batch.columns[0]!, i));
      expect(values).toEqual(reference);
      await file.close();
    }
  });

  it('RNTuple inputs are transformed like TTrees (the muon counts jsroot reads)', async () => {
    const file = `${SHARED}data/root/Run2012BC_DoubleMuParked_Muons_1000evts_rntuple_v1-0-0-0.root`;
    const sub = await postJson(`${base}/servicex/transformation`, {
      'file-list': [file],
      selection: 'ds.Select(lambda e: e.nMuon)',
      codegen: 'func-adl',
      'result-format': 'root-file',
    });
    expect(sub.status).toBe(200);
    const id = sub.body.request_id as string;
    expect(await pollUntil(base, id, ['Complete', 'Fatal'])).toMatchObject({ status: 'Complete' });
    const muons = (await (await openJsrootRNTuple(file, 'Events')).read('_collection0')) as unknown[][];
    const [r] = service.results(id);
    const out = await openRoot(r!.path);
    const tree = await out.tree('servicex');
    const batch = await tree.read(tree.readable().map((b) => b.name));
    const values = Array.from({ length: batch.length }, (_, i) => Number(valueAt(batch.columns[0]!, i)));
    expect(values).toEqual(muons.map((m) => m.length));
    await out.close();
  });

  it('a did may be a local glob', async () => {
    const sub = await postJson(`${base}/servicex/transformation`, {
      did: join(inputs, 'copy-*.root'),
      selection: 'ds.Select(lambda e: e.nMuon)',
      codegen: 'func-adl',
    });
    expect(sub.status).toBe(200);
    const st = await pollUntil(base, sub.body.request_id as string, ['Complete', 'Fatal']);
    expect(st).toMatchObject({ status: 'Complete', files: 2, 'files-completed': 2 });
  });
});
