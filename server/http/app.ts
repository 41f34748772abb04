/**
 * The HTTP server as a fastify app: `POST /sql`, `POST /query` (func_adl or qastle), `GET /health`,
 * `GET /metrics`, and the OpenAPI description at `/docs`. `buildServer` returns the app unstarted, so the
 * host can register more plugins (the ServiceX transformer under /servicex) behind the same bearer hook.
 */
import type { Readable } from 'node:stream';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { HepqError } from '../../exec/batch/index.js';
import { encodeBatch } from '../cli/encode.js';
import { resultToJson, Session } from '../index.js';
import {
  confineTo,
  createSqlEngine,
  encodeChunks,
  encodeResult,
  queryResultBatch,
  type SqlChunk,
  type SqlEngine,
} from '../sql/index.js';
import { type AuthHook, bearerAuth } from './auth.js';
import { asHepqError, errorBody, statusFor } from './error-body.js';
import { chooseFormat, MEDIA_TYPES, type WireFormat } from './formats.js';
import { Metrics } from './metrics.js';
import { ROUTE_SCHEMAS } from './schemas.js';

export interface ServerOptions {
  /** The session queries run in (one is made, and closed with the app, when absent). */
  readonly session?: Session;
  /** Directories whose files clients may read (default: the working directory). */
  readonly dataRoots?: readonly string[];
  /** Require `Authorization: Bearer <token>` (all routes but /health and /docs). */
  readonly token?: string;
  /** Queries running at once; more get 429 (default 32). */
  readonly maxConcurrent?: number;
  /** Per-query wall-clock limit (default 30 s). */
  readonly queryTimeoutMs?: number;
  /** Request body limit in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
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

/** SQL results up to this many rows are answered whole (exact status codes, Content-Length); larger ones stream. */
const STREAM_AFTER_ROWS = 65_536;

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
  const session = options.session ?? new Session({ workerIdleMs: 600_000 });
  const roots = options.dataRoots?.length ? options.dataRoots : [process.cwd()];
  const resolveFile = confineTo(roots);
  const engine: SqlEngine = await createSqlEngine(session, { dataRoots: roots });
  const maxConcurrent = options.maxConcurrent ?? 32;
  const timeoutMs = options.queryTimeoutMs ?? 30_000;
  const maxRows = options.maxRows ?? 1_000_000;
  const maxBytes = options.maxResultBytes ?? 256 * 1024 * 1024;
  const metrics = new Metrics();

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  app.addHook('onClose', async () => {
    await engine.close();
    if (ownSession) await session.close();
  });
  const auth = options.token ? bearerAuth(options.token) : undefined;
  if (auth) app.addHook('onRequest', auth);
  app.addHook('onResponse', async (request, reply) => {
    metrics.observe(request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.setErrorHandler((err, _request, reply) => {
    const e = asHepqError(err);
    return reply.code(statusFor(e.code, e.kind)).send(errorBody(e));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'server/not-found', message: `no route ${request.method} ${request.url}` } }),
  );

  await app.register(swagger, {
    openapi: {
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
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  /** Run one query under the concurrency cap, the timeout and client-disconnect cancellation. */
  async function limited(
    reply: FastifyReply,
    run: (signal: AbortSignal) => Promise<Encoded | Streamed>,
  ): Promise<FastifyReply> {
    if (metrics.inFlight >= maxConcurrent) {
      metrics.rejected++;
      reply.header('retry-after', '1');
      throw new HepqError('server/busy', `${maxConcurrent} queries are running; try again shortly`);
    }
    metrics.inFlight++;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      metrics.timeouts++;
      controller.abort();
    }, timeoutMs);
    const onClose = () => {
      if (!reply.raw.writableEnded && !timedOut) {
        metrics.cancelled++;
        controller.abort();
      }
    };
    reply.raw.on('close', onClose);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      reply.raw.off('close', onClose);
      metrics.inFlight--;
    };
    try {
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
        throw new HepqError('server/timeout', `the query ran longer than ${timeoutMs} ms and was stopped`, {
          cause: e,
        });
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
      const stream = await engine.stream(sql, { signal, maxRows });
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
        const columns = stream.names.map((_, k) => head.flatMap((c) => c.columns[k]!));
        const result = { names: stream.names, types: stream.types, columns, rowCount: rows };
        return { body: await encodeResult(result, format), format };
      }
      const rest = (async function* () {
        yield* head;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
      })();
      return {
        stream: encodeChunks(stream.names, stream.types, rest, format as Exclude<WireFormat, 'parquet'>),
        format,
      };
    });
  });

  app.post('/query', { schema: ROUTE_SCHEMAS.query }, async (request, reply) => {
    const body = request.body;
    if (!isRecord(body))
      throw new HepqError('server/invalid-request', 'send JSON {"query": "…", "files": ["…"]}');
    const text = field(body, 'query');
    const files = body.files;
    if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === 'string'))
      throw new HepqError(
        'server/invalid-request',
        '"files" must be a non-empty array of file names under the data roots',
      );
    const tree = body.tree === undefined ? undefined : String(body.tree);
    const resolved = files.map((f) => resolveFile(f));
    const format = chooseFormat(
      body.format ?? (request.query as Record<string, unknown>).format,
      request.headers.accept,
    );
    return limited(reply, async (signal) => {
      const result = await session.query(text, { files: resolved, signal, ...(tree ? { tree } : {}) });
      if (format === 'json') return { body: JSON.stringify(resultToJson(result)), format };
      const batch = queryResultBatch(result);
      if (batch.length > maxRows)
        throw new HepqError('sql/result-too-large', `the result has more than ${maxRows} rows`);
      return { body: await encodeBatch(batch, format), format };
    });
  });

  app.get('/health', { schema: ROUTE_SCHEMAS.health }, async () => ({
    status: 'ok',
    inFlight: metrics.inFlight,
  }));
  app.get('/metrics', { schema: ROUTE_SCHEMAS.metrics }, async (_request, reply) =>
    reply.type('text/plain; version=0.0.4').send(metrics.text()),
  );

  return { app, ...(auth ? { auth } : {}), metrics };
}

/** Whether a listen address is loopback-only (serving elsewhere without a token deserves a warning). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
