/**
 * Hostile clients of the HTTP server: token scheme in any case, Host and Origin checks (DNS rebinding,
 * cross-site pages), no internal error text or absolute paths in answers, deep JSON refused before parsing,
 * fair admission (a bounded first-come queue, /health answering while queries run), and — on real sockets —
 * slow-body clients cut off by the request timeout and connections beyond the cap closed. Every wait is on
 * an event or a response, never on a clock.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type HepqServer } from '../../server/http/app.js';
import { Session } from '../../server/session.js';
import { ROOT_DATA, SHARED } from '../helpers/shared-data.js';
import { HAVE_ADL } from './sql/helpers.js';

const ROOT_FILE = 'func_adl_uproot/Run2012B_SingleMu_1000.root';
const DATA = `${SHARED}conformance-data`;

describe.skipIf(!HAVE_ADL)('hostile clients, through inject', () => {
  let secured: HepqServer;
  let open: HepqServer;
  beforeAll(async () => {
    secured = await buildServer({ dataRoots: [DATA], token: 'Tok-123' });
    open = await buildServer({ dataRoots: [DATA], allowedHosts: ['hepq.internal'] });
  });
  afterAll(async () => {
    await secured.app.close();
    await open.app.close();
  });
  const sql = (server: HepqServer, headers: Record<string, string>, payload = 'SELECT 42 AS x') =>
    server.app.inject({
      method: 'POST',
      url: '/sql',
      headers: { 'content-type': 'text/plain', ...headers },
      payload,
    });

  it('takes the Bearer scheme in any case, and only the right token', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const res = await sql(secured, { authorization: `${scheme} Tok-123` });
      expect(res.statusCode, scheme).toBe(200);
      expect(res.json()).toEqual([{ x: 42 }]);
    }
    for (const bad of ['Bearer Tok-12', 'Bearer Tok-1234', 'Basic Tok-123', 'Tok-123', 'Bearer', '']) {
      const res = await sql(secured, bad ? { authorization: bad } : {});
      expect(res.statusCode, bad).toBe(401);
      expect(res.json().error.code).toBe('server/unauthorized');
    }
  });

  it('refuses Host names a web page could rebind to a token-less server, and cross-origin pages', async () => {
    const cases: Array<[Record<string, string>, number, string?]> = [
      [{ host: 'evil.example:8080' }, 403, 'server/forbidden-host'],
      [{ host: 'hepq.internal:8080' }, 200],
      [{ host: '127.0.0.1:8080' }, 200],
      [{ host: 'localhost:8080' }, 200],
      [{ host: '[::1]:8080' }, 200],
      [{ host: '127.0.0.1:8080', origin: 'http://evil.example' }, 403, 'server/forbidden-origin'],
      [{ host: '127.0.0.1:8080', origin: 'null' }, 403, 'server/forbidden-origin'],
      [{ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' }, 200],
    ];
    for (const [headers, status, code] of cases) {
      const res = await sql(open, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(status);
      if (code) expect(res.json().error.code).toBe(code);
      else expect(res.json()).toEqual([{ x: 42 }]);
    }
    // With a token, the token is the guard: any Host, but a foreign Origin still not.
    expect(
      (await sql(secured, { host: 'hepq.example.org', authorization: 'Bearer Tok-123' })).statusCode,
    ).toBe(200);
    const page = await sql(secured, { origin: 'http://evil.example', authorization: 'Bearer Tok-123' });
    expect(page.statusCode).toBe(403);
  });

  it('answers bad formats, deep JSON and refused files without internal text or absolute paths', async () => {
    const auth = { authorization: 'Bearer Tok-123' };
    const named = await secured.app.inject({
      method: 'POST',
      url: '/sql',
      headers: auth,
      payload: { sql: 'SELECT 1', format: 'toString' },
    });
    expect(named.statusCode).toBe(400);
    // Refused by the request schema (the console's /docs) or by the format check: a 400 that names the format.
    expect(named.json().error.code).toMatch(/^server\/(bad-format|bad-request|invalid-request)$/);
    expect(named.json().error.message).toMatch(/format/);
    const proto = await sql(secured, auth).then(() =>
      secured.app.inject({
        method: 'POST',
        url: '/sql?format=__proto__',
        headers: { ...auth, 'content-type': 'text/plain' },
        payload: 'SELECT 1',
      }),
    );
    expect(proto.statusCode).toBe(400);
    for (const res of [named, proto]) expect(res.body).not.toMatch(/TypeError|is not a function|\n\s+at /);

    const deep = `{"sql": "SELECT 1", "format": ${'['.repeat(500_000)}${']'.repeat(500_000)}}`;
    const tooDeep = await secured.app.inject({
      method: 'POST',
      url: '/sql',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: deep,
    });
    expect(tooDeep.statusCode).toBe(400);
    const err = tooDeep.json().error;
    expect(err.code).toBe('server/too-deep');
    expect(err.location.offset).toBe(deep.indexOf('[') + 63); // level 65: the object, then 64 brackets

    const refused = await sql(secured, auth, `SELECT * FROM root('../data/root/uproot-HZZ.root', 'events')`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('sql/file-refused');
    expect(refused.body).not.toContain(SHARED.replace(/\/$/, ''));

    const notRoot = await secured.app.inject({
      method: 'POST',
      url: '/query',
      headers: auth,
      payload: { query: 'Select(lambda e: e.nMuon)', files: ['adl-benchmark/sql_ref_q1.csv'] },
    });
    expect(notRoot.statusCode).toBe(400);
    expect(notRoot.json().error.code).toBe('root/not-root');
    expect(notRoot.body).not.toContain(SHARED.replace(/\/$/, ''));
  });

  it('the row limit holds for /query in every format, JSON included, before encoding', async () => {
    const small = await buildServer({ dataRoots: [DATA], maxRows: 100 });
    try {
      for (const format of ['json', 'csv', 'arrow']) {
        const res = await small.app.inject({
          method: 'POST',
          url: '/query',
          payload: { query: 'Select(lambda e: e.nJet)', files: [ROOT_FILE], format },
        });
        expect(res.statusCode, format).toBe(413);
        expect(res.json().error.code).toBe('sql/result-too-large');
      }
    } finally {
      await small.app.close();
    }
  });

  it('a /query naming more files than allowed is refused before any is opened', async () => {
    const res = await open.app.inject({
      method: 'POST',
      url: '/query',
      payload: { query: 'Select(lambda e: e.nMuon)', files: Array.from({ length: 1025 }, () => ROOT_FILE) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('server/too-many');
  });

  it('a 100 KB column name is a located 4xx, answered promptly (did-you-mean stays bounded)', async () => {
    const name = `x${'y'.repeat(100_000)}`;
    const res = await open.app.inject({
      method: 'POST',
      url: '/query',
      payload: { query: `Select(lambda e: e.${name})`, files: [ROOT_FILE] },
    });
    expect(res.statusCode).toBe(400);
    // Refused by the name-length limit before binding (or, under it, as an unknown column with a bounded
    // did-you-mean): a located 4xx either way.
    expect(res.json().error.message).toMatch(/unknown column|characters \(limit \d+\)/);
  });
});

describe.skipIf(!HAVE_ADL)('a bug is a 500 that says so, without its text', () => {
  it('POST /query whose session throws a TypeError', async () => {
    const session = new Session();
    session.query = async () => {
      throw new TypeError('secret detail of /srv/internal/path');
    };
    const server = await buildServer({ session, dataRoots: [DATA] });
    try {
      const res = await server.app.inject({
        method: 'POST',
        url: '/query',
        payload: { query: 'Select(lambda e: e.nMuon)', files: [ROOT_FILE] },
      });
      expect(res.statusCode).toBe(500);
      const { error } = res.json();
      expect(error.code).toBe('internal/bug');
      expect(error.message).toContain('this is a bug');
      expect(res.body).not.toContain('secret detail');
      expect(res.body).not.toContain('/srv/internal');
    } finally {
      await server.app.close();
      await session.close();
    }
  });
});

/** Resolves once a query holds a slot (turns of the event loop, no clock). */
async function admitted(server: HepqServer): Promise<void> {
  while (server.metrics.inFlight === 0) await new Promise((r) => setImmediate(r));
}

describe.skipIf(!HAVE_ADL)('fair admission', () => {
  it('queues beyond the running cap first come first served, refuses only past the queue, /health answers meanwhile', async () => {
    const server = await buildServer({
      dataRoots: [DATA],
      maxConcurrent: 1,
      maxQueue: 2,
      queryTimeoutMs: 600_000,
    });
    try {
      const order: string[] = [];
      const post = (name: string, payload: string) =>
        server.app
          .inject({ method: 'POST', url: '/sql', headers: { 'content-type': 'text/plain' }, payload })
          .then((res) => {
            order.push(name);
            return res;
          });
      // A finite query that keeps DuckDB busy for a while (sum of 0 … n−1 is n(n−1)/2).
      const n = 1_000_000_000;
      const slow = post('slow', `SELECT sum(range)::DOUBLE AS s FROM range(${n})`);
      const first = post('first', 'SELECT 1 AS k');
      const second = post('second', 'SELECT 2 AS k');
      await admitted(server);
      const third = await post('third', 'SELECT 3 AS k');
      expect(third.statusCode).toBe(429);
      expect(third.headers['retry-after']).toBe('1');
      const health = await server.app.inject({ method: 'GET', url: '/health' });
      order.push('health');
      expect(health.json()).toMatchObject({ status: 'ok', inFlight: 1 });
      const [s, a, b] = await Promise.all([slow, first, second]);
      expect((s.json() as Array<{ s: number }>)[0]!.s / ((n * (n - 1)) / 2)).toBeCloseTo(1, 12);
      expect(a.json()).toEqual([{ k: 1 }]);
      expect(b.json()).toEqual([{ k: 2 }]);
      expect(order).toEqual(['third', 'health', 'slow', 'first', 'second']);
      const metrics = (await server.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/hepq_queries_rejected_total 1\n/);
      expect(metrics).toMatch(/hepq_queries_queued 0\n/);
    } finally {
      await server.app.close();
    }
  });
});

/** A one-channel workspace of `n` bins with a per-bin statistical uncertainty (n + 1 parameters to fit). */
function wideWorkspace(n: number): string {
  return JSON.stringify({
    channels: [
      {
        name: 'c',
        samples: [
          {
            name: 'sig',
            data: Array.from({ length: n }, (_, i) => 5 + (i % 7)),
            modifiers: [{ name: 'mu', type: 'normfactor', data: null }],
          },
          {
            name: 'bkg',
            data: Array.from({ length: n }, (_, i) => 50 + (i % 13)),
            modifiers: [{ name: 'stat', type: 'staterror', data: Array.from({ length: n }, () => 3) }],
          },
        ],
      },
    ],
    observations: [{ name: 'c', data: Array.from({ length: n }, (_, i) => 52 + (i % 11)) }],
    measurements: [{ name: 'm', config: { poi: 'mu', parameters: [] } }],
    version: '1.0.0',
  });
}

describe.skipIf(!HAVE_ADL)('fits off the event loop', () => {
  it('/health answers while an inline 200-bin hypotest fits; a timeout stops a fit', async () => {
    const server = await buildServer({ dataRoots: [DATA], queryTimeoutMs: 600_000 });
    const quick = await buildServer({ dataRoots: [DATA], queryTimeoutMs: 300 });
    try {
      const order: string[] = [];
      const fit = server.app
        .inject({
          method: 'POST',
          url: '/sql',
          headers: { 'content-type': 'text/plain' },
          payload: `SELECT * FROM hypotest('${wideWorkspace(200)}', mu := 1.0)`,
        })
        .then((res) => {
          order.push('fit');
          return res;
        });
      await admitted(server);
      const health = await server.app.inject({ method: 'GET', url: '/health' });
      order.push('health');
      expect(health.json()).toMatchObject({ status: 'ok', inFlight: 1 });
      const res = await fit;
      expect(res.statusCode, res.body).toBe(200);
      const [row] = res.json() as Array<{ mu: number; cls_obs: number; clsb_obs: number; clb_obs: number }>;
      expect(row!.mu).toBe(1);
      // CLs = CLs+b / CLb, each a probability.
      expect(row!.cls_obs).toBeCloseTo(row!.clsb_obs / row!.clb_obs, 12);
      expect(row!.clb_obs).toBeGreaterThan(0);
      expect(row!.clb_obs).toBeLessThanOrEqual(1);
      expect(order).toEqual(['health', 'fit']);

      const stopped = await quick.app.inject({
        method: 'POST',
        url: '/sql',
        headers: { 'content-type': 'text/plain' },
        payload: `SELECT * FROM hypotest('${wideWorkspace(2000)}', mu := 1.0)`,
      });
      expect(stopped.statusCode).toBe(408);
      expect(stopped.json().error.code).toBe('server/timeout');
      expect((await quick.app.inject({ method: 'GET', url: '/health' })).json().inFlight).toBe(0);
    } finally {
      await server.app.close();
      await quick.app.close();
    }
  });
});

/** Everything a raw socket receives until the server closes it. */
function untilClosed(socket: Socket): Promise<string> {
  let got = '';
  socket.on('data', (d) => {
    got += d;
  });
  return new Promise((resolve) => socket.once('close', () => resolve(got)));
}

function connected(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

describe('slow and surplus connections (real sockets)', () => {
  let server: HepqServer;
  let port: number;
  beforeAll(async () => {
    server = await buildServer({ dataRoots: [ROOT_DATA], requestTimeoutMs: 300, maxConnections: 2 });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    port = (server.app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await server.app.close();
  });

  it('a client that never finishes its body gets 408 and its socket closed', async () => {
    const socket = await connected(port);
    const reply = untilClosed(socket);
    socket.write(
      'POST /sql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nSELECT',
    );
    expect(await reply).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a connection beyond the cap is closed at once while the others stay served', async () => {
    const seen = new Promise<void>((resolve) => {
      let n = 0;
      server.app.server.on('connection', () => {
        if (++n === 2) resolve();
      });
    });
    const a = await connected(port);
    const b = await connected(port);
    await seen;
    const c = await connected(port);
    expect(await untilClosed(c)).toBe('');
    const reply = untilClosed(a);
    a.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(await reply).toMatch(/^HTTP\/1\.1 200 [\s\S]*"status":"ok"/);
    b.destroy();
  });
});
