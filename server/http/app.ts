/**
 * The HTTP server as a fastify app: `POST /sql`, `POST /query` (func_adl or qastle), `GET /health`,
 * `GET /metrics`, and the OpenAPI description at `/docs`. `buildServer` returns the app unstarted, so the
 * host can register more plugins (the ServiceX transformer under /servicex) behind the same bearer hook.
 */
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { assertNever, HepqError } from '../../exec/batch/index.js';
import { sqlResult } from '../../exec/duckdb/index.js';
import { type QueryResult, resultToJson } from '../../exec/index.js';
import { planChain } from '../../planner/ir/index.js';
import { parseQuery } from '../../query/index.js';
import { encodeBatch } from '../output/encode.js';
import { type QueryDevice, Session } from '../session.js';
// DuckDB (@duckdb/node-api, its native library) loads with the first /sql request, not at start
import type { SqlChunk, SqlEngine } from '../sql/index.js';
import { confineTo, realRoots } from '../sql/index.js';
import { queryResultBatch } from '../sql/query-batch.js';
import { Admission } from './admission.js';
import { type AuthHook, bearerAuth } from './auth.js';
import { registerConsole } from './console/routes.js';
import { lazyDocs } from './docs.js';
import { asHepqError, errorBody, statusFor } from './error-body.js';
import { chooseFormat, MEDIA_TYPES, type WireFormat } from './formats.js';
import { guardJsonBodies, hostGuard } from './guards.js';
import { lazyCompilers } from './lazy-compilers.js';
import { Metrics } from './metrics.js';
import { ROUTE_SCHEMAS } from './schemas.js';

export interface ServerOptions {
  /** The session queries run in (one is made, and closed with the app, when absent). */
  readonly session?: Session;
  /** The device choice of the session made when `session` is absent (default auto). */
  readonly device?: QueryDevice;
  /** Directories whose files clients may read (default: the working directory). */
  readonly dataRoots?: readonly string[];
  /**
   * http(s) inputs clients may read: URLs under these prefixes, redirects followed only to URLs under them
   * (default: none). A server made on a given `session` follows that session's redirect policy instead.
   */
  readonly allowUrlPrefixes?: readonly string[];
  /** Require `Authorization: Bearer <token>` (all routes but /health and /docs). */
  readonly token?: string;
  /** Queries running at once (default 32); more wait in a first-come queue. */
  readonly maxConcurrent?: number;
  /** Queries waiting for a slot (default 8 × maxConcurrent); more get 429. */
  readonly maxQueue?: number;
  /** Per-query wall-clock limit (default 30 s). */
  readonly queryTimeoutMs?: number;
  /** Request body limit in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Time to receive a whole request, headers and body (default 30 s; then 408 and the socket closes). */
  readonly requestTimeoutMs?: number;
  /** Open connections at most (default 1024; more are closed at once). */
  readonly maxConnections?: number;
  /**
   * Host names a token-less server answers besides IP literals and localhost (a web page could rebind any
   * other name to this server's address). A server with a token checks no Host.
   */
  readonly allowedHosts?: readonly string[];
  /** Result limits: rows (default 1,000,000) and encoded bytes (default 256 MiB). */
  readonly maxRows?: number;
  readonly maxResultBytes?: number;
  readonly logger?: boolean;
}

export interface HepqServer {
  readonly app: FastifyInstance;
  /** The auth hook (undefined without a token), for plugins registered with their own encapsulation. */
  readonly auth?: AuthHook;
  readonly metrics: Metrics;
}

interface Encoded {
  readonly body: string | Uint8Array;
  readonly format: WireFormat;
}

/** A result sent as it is produced (large SQL results). */
interface Streamed {
  readonly stream: Readable;
  readonly format: WireFormat;
}

/** Files one /query may name (each is resolved, symlinks followed, before the query is admitted). */
const MAX_FILES = 1024;

/** SQL results up to this many rows are answered whole (exact status codes, Content-Length); larger ones stream. */
const STREAM_AFTER_ROWS = 65_536;

/** Rows of a func_adl result (histogram bins, one value), counted without materialising anything. */
function resultRowCount(r: QueryResult): number {
  switch (r.kind) {
    case 'rows':
      return r.batches.reduce((n, b) => n + (b.selection ? b.selection.length : b.length), 0);
    case 'value':
      return 1;
    case 'histogram':
      return r.histogram.counts.length;
    case 'histograms':
      return r.histograms.histograms.reduce((n, h) => n + h.counts.length, 0);
    default:
      return assertNever(r, 'query result');
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v.trim() === '')
    throw new HepqError('server/invalid-request', `the body needs a non-empty string "${name}"`);
  return v;
}

export async function buildServer(options: ServerOptions = {}): Promise<HepqServer> {
  const ownSession = !options.session;
  // A server keeps its query workers up between requests (10 minutes idle).
  const urlPrefixes = options.allowUrlPrefixes ?? [];
  const session =
    options.session ??
    new Session({
      workerIdleMs: 600_000,
      redirectPrefixes: urlPrefixes,
      ...(options.device ? { device: options.device } : {}),
    });
  const roots = options.dataRoots?.length ? options.dataRoots : [process.cwd()];
  const resolveFile = confineTo(roots, urlPrefixes);
  // DuckDB and its allow-list on the first SQL request: a server may only ever get func_adl queries
  let engineStart: Promise<SqlEngine> | undefined;
  const sqlEngine = () => {
    engineStart ??= import('../sql/index.js')
      .then((m) => m.createSqlEngine(session, { dataRoots: roots, urlPrefixes }))
      .catch((e) => {
        engineStart = undefined; // a failed start is retried by the next request
        throw e;
      });
    return engineStart;
  };
  const maxConcurrent = options.maxConcurrent ?? 32;
  const admission = new Admission(maxConcurrent, options.maxQueue ?? 8 * maxConcurrent);
  const timeoutMs = options.queryTimeoutMs ?? 30_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const hidden = [...new Set([...roots.map((r) => resolve(r)), ...realRoots(roots)])];
  const maxRows = options.maxRows ?? 1_000_000;
  const maxBytes = options.maxResultBytes ?? 256 * 1024 * 1024;
  const metrics = new Metrics(() => ({ inFlight: admission.inFlight, queued: admission.queued }));

  const app = Fastify({
    logger: options.logger ?? false,
    // route schemas compiled on first use, not all at start
    schemaController: { compilersFactory: lazyCompilers() as never },
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Slow clients: the whole request within requestTimeout (checked often enough to matter), an idle
    // socket closed once no query could still be running on it, idle keep-alive sockets after 5 s.
    requestTimeout,
    connectionTimeout: requestTimeout + timeoutMs + 5_000,
    keepAliveTimeout: 5_000,
    http: {
      headersTimeout: Math.min(requestTimeout, 20_000),
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(requestTimeout / 4))),
    },
  });
  app.server.maxConnections = options.maxConnections ?? 1024;
  guardJsonBodies(app);
  app.addHook('onClose', async () => {
    if (engineStart) await (await engineStart.catch(() => undefined))?.close();
    if (ownSession) await session.close();
  });
  app.addHook(
    'onRequest',
    hostGuard({ checkHost: !options.token, allowedHosts: options.allowedHosts ?? [] }),
  );
  const auth = options.token ? bearerAuth(options.token) : undefined;
  if (auth) app.addHook('onRequest', auth);
  app.addHook('onResponse', async (request, reply) => {
    metrics.observe(request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.setErrorHandler((err, request, reply) => {
    const e = asHepqError(err);
    if (e.kind === 'internal') {
      request.log.error(err);
      if (!options.logger) {
        const cause = (e.cause ?? err) as Error;
        process.stderr.write(
          `hepq serve: internal error on ${request.method} ${request.routeOptions.url}: ${cause?.stack ?? String(cause)}\n`,
        );
      }
    }
    return reply.code(statusFor(e.code, e.kind)).send(errorBody(e, hidden));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: { code: 'server/not-found', message: `no route ${request.method} ${request.url.slice(0, 200)}` },
    }),
  );

  lazyDocs(app, {
    info: {
      title: 'hepq',
      version: '0.1.0',
      description: 'SQL (DuckDB) and func_adl queries over ROOT and Parquet files under the data roots.',
    },
    ...(auth
      ? {
          components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
          security: [{ bearer: [] }],
        }
      : {}),
  });

  /**
   * Run one query when admitted (a bounded first-come queue, then 429), under the timeout (counted from
   * arrival, the wait included) and client-disconnect cancellation.
   */
  async function limited(
    reply: FastifyReply,
    run: (signal: AbortSignal) => Promise<Encoded | Streamed>,
  ): Promise<FastifyReply> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      metrics.timeouts++;
      controller.abort();
    }, timeoutMs);
    const onClose = () => {
      if (!reply.raw.writableEnded && !controller.signal.aborted) {
        metrics.cancelled++;
        controller.abort();
      }
    };
    reply.raw.on('close', onClose);
    let slot: (() => void) | undefined;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      reply.raw.off('close', onClose);
      slot?.();
    };
    try {
      try {
        slot = await admission.acquire(controller.signal);
      } catch (e) {
        if (e instanceof HepqError && e.code === 'server/busy') {
          metrics.rejected++;
          reply.header('retry-after', '1');
        }
        throw e;
      }
      const out = await run(controller.signal);
      if ('stream' in out) {
        // The query goes on while the body streams: the slot is held until the stream ends or breaks.
        out.stream.once('close', release);
        out.stream.once('error', release);
        return reply.type(MEDIA_TYPES[out.format]).send(out.stream);
      }
      release();
      const { body, format } = out;
      const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      if (size > maxBytes)
        throw new HepqError(
          'server/result-too-large',
          `the result is ${size} bytes, over the limit of ${maxBytes}`,
          {
            hint: 'aggregate in the query, or ask for fewer rows',
          },
        );
      return reply
        .type(MEDIA_TYPES[format])
        .send(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    } catch (e) {
      release();
      if (timedOut)
        throw new HepqError(
          'server/timeout',
          `the query did not finish within ${timeoutMs} ms (its wait for a slot included) and was stopped`,
          {
            cause: e,
          },
        );
      if (controller.signal.aborted && !(e instanceof HepqError))
        throw new HepqError('server/cancelled', 'the client went away');
      throw e;
    }
  }

  app.post('/sql', { schema: ROUTE_SCHEMAS.sql }, async (request, reply) => {
    const body = request.body;
    const sql = typeof body === 'string' ? body : isRecord(body) ? field(body, 'sql') : undefined;
    if (sql === undefined || sql.trim() === '')
      throw new HepqError('server/invalid-request', 'send the SQL as text/plain, or JSON {"sql": "…"}');
    const query = request.query as Record<string, unknown>;
    const format = chooseFormat(
      isRecord(body) ? (body.format ?? query.format) : query.format,
      request.headers.accept,
    );
    return limited(reply, async (signal) => {
      const stream = await (await sqlEngine()).stream(sql, { signal, maxRows });
      const chunks = stream[Symbol.asyncIterator]();
      const head: SqlChunk[] = [];
      let rows = 0;
      let ended = false;
      try {
        while (!ended && (rows <= STREAM_AFTER_ROWS || format === 'parquet')) {
          const next = await chunks.next();
          if (next.done) ended = true;
          else {
            head.push(next.value);
            rows += next.value.rowCount;
          }
        }
      } catch (e) {
        stream.close();
        throw e;
      }
      if (ended) {
        const result = sqlResult(stream.names, stream.types, stream.schema, head);
        return { body: await (await import('../sql/encode.js')).encodeResult(result, format), format };
      }
      const rest = (async function* () {
        yield* head;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
      })();
      const { encodeChunks } = await import('../sql/encode.js');
      return {
        stream: encodeChunks(stream.schema, rest, format as Exclude<WireFormat, 'parquet'>),
        format,
      };
    });
  });

  app.post('/query', { schema: ROUTE_SCHEMAS.query }, async (request, reply) => {
    const body = request.body;
    if (!isRecord(body))
      throw new HepqError('server/invalid-request', 'send JSON {"query": "…", "files": ["…"]}');
    const text = field(body, 'query');
    // no files: the ones the query names (EventDataset('f.root')), confined to the data roots like any other
    const files = Array.isArray(body.files) && body.files.length > 0 ? body.files : namedFiles(text);
    if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === 'string'))
      throw new HepqError(
        'server/invalid-request',
        '"files" must be a non-empty array of file names under the data roots',
        { hint: "or name them in the query: EventDataset('file.root')" },
      );
    if (files.length > MAX_FILES)
      throw new HepqError(
        'server/too-many',
        `"files" names ${files.length} files; at most ${MAX_FILES} per query`,
        {
          hint: 'split the files over several queries, or use the ServiceX transformer for large datasets',
        },
      );
    const tree = body.tree === undefined ? undefined : String(body.tree);
    const device = body.device === undefined ? undefined : String(body.device);
    if (device !== undefined && !['cpu', 'gpu', 'auto', 'duckdb'].includes(device))
      throw new HepqError('server/invalid-request', `unknown device '${device}'`, {
        hint: 'use "device": "cpu", "gpu", "auto" or "duckdb"',
      });
    const resolved = files.map((f) => resolveFile(f));
    const format = chooseFormat(
      body.format ?? (request.query as Record<string, unknown>).format,
      request.headers.accept,
    );
    return limited(reply, async (signal) => {
      const result = await session.query(text, {
        files: resolved,
        signal,
        ...(tree ? { tree } : {}),
        ...(device ? { device: device as QueryDevice } : {}),
        // a statistics stage's config file (`….Fit('config.json')`) is confined to the data roots too
        resolvePath: resolveFile,
      });
      // The row limit before any encoding (JSON included): encoding runs on the event loop.
      if (resultRowCount(result) > maxRows)
        throw new HepqError('sql/result-too-large', `the result has more than ${maxRows} rows`, {
          hint: 'aggregate in the query (Hist, Count) or select fewer events; a histogram is one row per bin',
        });
      if (format === 'json') return { body: JSON.stringify(resultToJson(result)), format };
      return { body: await encodeBatch(queryResultBatch(result), format), format };
    });
  });

  registerConsole(app, { session, resolveFile, roots });

  app.get('/health', { schema: ROUTE_SCHEMAS.health }, async () => ({
    status: 'ok',
    inFlight: admission.inFlight,
  }));
  app.get('/metrics', { schema: ROUTE_SCHEMAS.metrics }, async (_request, reply) =>
    reply.type('text/plain; version=0.0.4').send(metrics.text()),
  );

  return { app, ...(auth ? { auth } : {}), metrics };
}

/** The files a func_adl/qastle query names in its source (none: an empty list); parse errors surface later. */
function namedFiles(text: string): readonly string[] {
  try {
    const source = planChain(parseQuery(text)).at(-1);
    return source?.kind === 'source' ? source.files : [];
  } catch {
    return [];
  }
}
