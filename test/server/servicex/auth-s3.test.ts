/**
 * Authentication and the S3 (minio) path as the python ServiceX client uses them: the refresh token exchanged at
 * `POST /token/refresh` for a JWT access token (decoded here by hand, as the client does), the S3 path at the
 * root of the endpoint with the key pair of the status record, signed by the real AWS SDK (SigV4 headers) and
 * by @smithy/signature-v4 (presigned URLs) — independent signers — and refused when unsigned or wrongly signed.
 * Also the status fields the client's model requires, the log URL, and the datasets listing.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicexPlugin, servicexRootPlugin } from '../../../server/servicex/index.js';
import { LocalPool, TransformService } from '../../../server/transform/index.js';
import { type Json, SAMPLE } from './helpers.js';

const SECRET = 'refresh-secret-for-tests';
const MET = 'ds.Select(lambda e: e.MET_pt)';

/** A SHA-256 for @smithy/signature-v4 from node:crypto. */
class Sha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  private readonly secret: Uint8Array | string | undefined;
  constructor(secret?: unknown) {
    this.secret = secret as Uint8Array | string | undefined;
    this.hash = this.secret ? createHmac('sha256', this.secret) : createHash('sha256');
  }
  update(data: Uint8Array | string) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {
    this.hash = this.secret ? createHmac('sha256', this.secret) : createHash('sha256');
  }
}

const jwtClaims = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString('utf8'));

describe('ServiceX auth and the S3 path at the endpoint root', () => {
  let app: FastifyInstance;
  let base: string;
  let service: TransformService;
  let id: string;
  let status: Json;
  let auth: Record<string, string>;

  beforeAll(async () => {
    service = new TransformService({
      dataDir: mkdtempSync(join(tmpdir(), 'hepq-sx-auth-')),
      dispatcher: new LocalPool({ concurrency: 1 }),
    });
    app = Fastify();
    await app.register(servicexPlugin, { prefix: '/servicex', service, token: SECRET });
    await app.register(servicexRootPlugin, { service, token: SECRET });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    const r = await fetch(`${base}/token/refresh`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(r.status).toBe(200);
    const access = ((await r.json()) as Json).access_token as string;
    auth = { authorization: `Bearer ${access}` };
    const sub = await fetch(`${base}/servicex/transformation`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'met', 'file-list': [SAMPLE], selection: MET, codegen: 'func-adl' }),
    });
    expect(sub.status).toBe(200);
    id = ((await sub.json()) as Json).request_id as string;
    for (;;) {
      status = (await (
        await fetch(`${base}/servicex/transformation/${id}`, { headers: auth })
      ).json()) as Json;
      if (status.status === 'Complete' || status.status === 'Fatal') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(status.status).toBe('Complete');
  });
  afterAll(async () => {
    await app.close();
    await service.close();
  });

  it('the refresh token buys a JWT access token with an expiry; bad or missing tokens get 401', async () => {
    const claims = jwtClaims(auth.authorization!.slice(7));
    const now = Date.now() / 1000;
    expect(claims.exp).toBeGreaterThan(now + 60); // the client renews under one minute left
    expect(claims.exp).toBeLessThan(now + 24 * 3600);
    for (const h of [undefined, 'Bearer nope', `Bearer ${SECRET}x`, 'Basic abc']) {
      const r = await fetch(`${base}/servicex/transformation`, { headers: h ? { authorization: h } : {} });
      expect(r.status, String(h)).toBe(401);
    }
    // An access token is no refresh token; a forged one (other key) and an expired one are refused.
    const refresh = await fetch(`${base}/token/refresh`, { method: 'POST', headers: auth });
    expect(refresh.status).toBe(401);
    const forge = (claims: Json, key: string) => {
      const head = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
    };
    const exp = Math.floor(now) + 600;
    for (const [t, want] of [
      [forge({ type: 'access', exp }, SECRET), 200],
      [forge({ type: 'access', exp }, 'other'), 401],
      [forge({ type: 'access', exp: Math.floor(now) - 5 }, SECRET), 401],
    ] as const) {
      const r = await fetch(`${base}/servicex/transformation`, { headers: { authorization: `Bearer ${t}` } });
      expect(r.status).toBe(want);
    }
  });

  it('the status record has every field the client model requires, a working log URL, +00:00 times', async () => {
    expect(Number.isInteger(status.did_id)).toBe(true);
    expect(status['minio-endpoint']).toBe(new URL(base).host);
    expect(status['minio-secured']).toBe(false);
    // The log URL opens alone (the client prints it as a link, a browser sends no bearer): it is signed for
    // this request only.
    const logUrl = status['log-url'] as string;
    const log = await fetch(logUrl);
    expect(log.status).toBe(200);
    expect(await log.text()).toContain(`[done] #0 ${SAMPLE}`);
    const other = logUrl.replace(id, '00000000-0000-0000-0000-000000000000');
    expect((await fetch(other)).status).toBe(401);
    expect((await fetch(logUrl.replace(/sig=[0-9a-f]+/, `sig=${'0'.repeat(32)}`))).status).toBe(401);
    const results = (
      (await (await fetch(`${base}/servicex/transformation/${id}/results`, { headers: auth })).json()) as Json
    ).results as Json[];
    expect(results).toHaveLength(1);
    const created = results[0]!.created_at as string;
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/); // datetime.fromisoformat, Python 3.9
    // later_than as the client sends it (its own isoformat of the newest created_at): nothing newer.
    const later = await fetch(
      `${base}/servicex/transformation/${id}/results?later_than=${encodeURIComponent(created)}`,
      { headers: auth },
    );
    expect(((await later.json()) as Json).results).toEqual([]);
    const datasets = ((await (await fetch(`${base}/servicex/datasets`, { headers: auth })).json()) as Json)
      .datasets as Json[];
    const ds = datasets.find((d) => d.id === status.did_id)!;
    expect(ds).toMatchObject({ n_files: 1, name: status.did, lookup_status: 'complete' });
    expect((ds.files as Json[])[0]!.paths).toBe(SAMPLE);
    const one = await fetch(`${base}/servicex/datasets/${status.did_id}`, { headers: auth });
    expect(((await one.json()) as Json).name).toBe(status.did);
    expect((await fetch(`${base}/servicex/datasets/12345`, { headers: auth })).status).toBe(404);
  });

  it('S3 at the root: the AWS SDK with the status record keys lists, heads and gets; other keys get 403', async () => {
    const client = (secret: string) =>
      new S3Client({
        endpoint: `http://${status['minio-endpoint']}`,
        forcePathStyle: true,
        region: 'us-east-1',
        credentials: { accessKeyId: status['minio-access-key'] as string, secretAccessKey: secret },
      });
    const s3 = client(status['minio-secret-key'] as string);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: id }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual([`0000_Run2012B_SingleMu_1000.parquet`]);
    const key = listed.Contents![0]!.Key!;
    const head = await s3.send(new HeadObjectCommand({ Bucket: id, Key: key }));
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: id, Key: key }))
    ).Body!.transformToByteArray();
    expect(body.length).toBe(head.ContentLength);
    expect(new TextDecoder().decode(body.subarray(0, 4))).toBe('PAR1');
    s3.destroy();
    const wrong = client('not-the-secret');
    await expect(wrong.send(new ListObjectsV2Command({ Bucket: id }))).rejects.toThrow();
    wrong.destroy();
    expect((await fetch(`${base}/${id}/${key}`)).status).toBe(403); // unsigned

    // A presigned URL (as the client's get_signed_url makes) works alone; tampered, it is refused.
    const u = new URL(base);
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: status['minio-access-key'] as string,
        secretAccessKey: status['minio-secret-key'] as string,
      },
      region: 'us-east-1',
      service: 's3',
      sha256: Sha256,
      uriEscapePath: false,
    });
    const signed = await signer.presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: u.hostname,
        port: Number(u.port),
        path: `/${id}/${key}`,
        query: {},
        // What @aws-sdk/s3-request-presigner and boto do for S3: the payload is not signed.
        headers: { host: u.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      { expiresIn: 3600 },
    );
    const q = new URLSearchParams(signed.query as Record<string, string>).toString();
    const ok = await fetch(`${base}/${id}/${key}?${q}`);
    expect(ok.status).toBe(200);
    expect(new Uint8Array(await ok.arrayBuffer())).toEqual(body);
    const bad = await fetch(`${base}/${id}/${key}?${q.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=7200')}`);
    expect(bad.status).toBe(403);
  });
});
