/**
 * The ServiceX-compatible transformer endpoint as a fastify plugin: register it under `/servicex` next to
 * the SQL routes, or alone (`hepq servicex`). Routes, with the python client's dashed field names:
 *   GET  /                                  info: app-version, code-gen-image, capabilities
 *   POST /transformation                    submit → {request_id}
 *   GET  /transformation                    list → {requests: [status…]}
 *   GET  /transformation/:id(/status)       status record
 *   GET  /transformation/:id/results        finished files (?later_than=ISO time)
 *   GET  /transformation/:id/cancel         cancel;  DELETE /transformation/:id  cancel and delete
 *   POST /transformation/file-urls          {request_id, file_list} → {uris: {name: [url, headers, expiry]}}
 *   GET  /transformation/:id/logs           the per-file log of a request (the status record's log-url)
 *   GET|HEAD /files/:id/:name               download (Range)
 *   GET  /datasets(/:id)                    the datasets requests have read (`servicex datasets list`)
 *   /s3/:bucket[/key]                       read-only S3 path (ListObjectsV2, HeadObject, GetObject)
 * `servicexRootPlugin` adds what the python client expects at the root of its endpoint: `POST /token/refresh`
 * and the S3 path itself (it downloads from `minio-endpoint`, the server's own host:port, with aioboto3).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HepqError } from '../../exec/batch/index.js';
import {
  CODEGENS,
  isoToMicros,
  type TransformService,
  type TransformSubmission,
} from '../transform/index.js';
import { accessToken, bearerKind, logSignature, s3Keys, signedLogUrl } from './auth.js';
import { datasetJson, datasetList } from './datasets.js';
import { sendFile } from './files.js';
import { s3Routes } from './s3.js';
import { logText, resultJson, statusJson, type WireOptions } from './wire.js';

export interface ServicexPluginOptions {
  readonly service: TransformService;
  readonly appVersion?: string;
  /**
   * The server secret: every route needs `Authorization: Bearer <it>` or an access token minted from it by
   * `POST /token/refresh` (leave unset when the host app has its own hook); the S3 path takes SigV4 signatures
   * made with the key pair derived from it.
   */
  readonly token?: string;
  /** `host:port` advertised as the S3 (minio) endpoint (default: the host the client called). */
  readonly s3Endpoint?: string;
  /** Where refused S3 requests are reported. */
  readonly log?: (line: string) => void;
}

const CAPABILITIES = ['poll_local_transformation_results', 'long_sample_titles_10240', 'generate_file_urls'];

/** The dashed JSON body of a submission as a `TransformSubmission` (type errors are 400s). */
function submission(body: unknown): TransformSubmission {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new HepqError('servicex/request', 'the request body must be a JSON object');
  const b = body as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = b[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new HepqError('servicex/request', `"${k}" must be a string`);
    return v;
  };
  const selection = str('selection');
  if (selection === undefined)
    throw new HepqError('servicex/request', 'a transformation needs a "selection"');
  const fileList = b['file-list'] ?? b.file_list;
  if (fileList !== undefined && fileList !== null && !Array.isArray(fileList))
    throw new HepqError('servicex/request', '"file-list" must be an array of file paths or URLs');
  const title = str('title');
  if (title !== undefined && title.length > 10240)
    throw new HepqError('servicex/request', 'the "title" is longer than 10240 characters');
  const opt = <T>(k: string, v: T | undefined) => (v === undefined ? {} : { [k]: v });
  return {
    selection,
    ...opt('title', title),
    ...opt('did', str('did')),
    ...opt('fileList', (fileList ?? undefined) as string[] | undefined),
    ...opt('codegen', str('codegen')),
    ...opt('treeName', str('tree-name')),
    ...opt('resultFormat', str('result-format')),
    ...opt('resultDestination', str('result-destination')),
    ...(b['ignore-cache'] === true ? { ignoreCache: true } : {}),
  };
}

/** Reply 401 unless the request carries the refresh token or a valid access token. */
function bearerHook(token: string, skip: (url: string) => boolean) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (skip(request.url)) return;
    if (!bearerKind(request.headers.authorization, token)) {
      reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ message: 'missing, wrong or expired bearer token' });
      return reply;
    }
  };
}

export async function servicexPlugin(app: FastifyInstance, options: ServicexPluginOptions): Promise<void> {
  const { service } = options;
  const keys = s3Keys(options.token);
  const wire = (request: FastifyRequest): WireOptions => ({
    appVersion: options.appVersion ?? '0.1.0',
    s3Endpoint: options.s3Endpoint ?? request.host,
    s3Keys: keys,
    s3Secure: request.protocol === 'https',
    logBase: `${request.protocol}://${request.host}${app.prefix}/transformation/`,
    ...(options.token ? { logSig: (id: string) => logSignature(options.token!, id) } : {}),
  });
  await service.start();

  if (options.token) {
    const token = options.token;
    // The S3 path checks signatures (or the bearer) itself.
    app.addHook(
      'onRequest',
      bearerHook(token, (url) => url.startsWith(`${app.prefix}/s3/`) || signedLogUrl(url, token)),
    );
  }
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, _request, reply) => {
    if (err instanceof HepqError) {
      const status = err.code === 'servicex/not-found' ? 404 : 400;
      return reply.code(status).send({ message: err.render(), code: err.code });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return reply.code(status).send({ message: err.message });
  });

  app.get('/', async () => ({
    'app-version': options.appVersion ?? '0.1.0',
    'code-gen-image': Object.fromEntries(CODEGENS.map((c) => [c, `hepq/${c}`])),
    capabilities: CAPABILITIES,
  }));

  app.post('/transformation', async (request) => {
    const id = await service.submit(submission(request.body));
    return { request_id: id };
  });

  app.get('/transformation', async (request) => ({
    requests: service.list().map((r) => statusJson(r, wire(request))),
  }));

  type Id = { Params: { id: string } };
  const status = async (request: FastifyRequest<Id>) =>
    statusJson(service.get(request.params.id), wire(request));
  app.get('/transformation/:id', status);
  app.get('/transformation/:id/status', status);
  app.get('/transformation/:id/logs', async (request: FastifyRequest<Id>, reply) =>
    reply.type('text/plain; charset=utf-8').send(logText(service.get(request.params.id))),
  );

  app.get('/datasets', async () => ({ datasets: datasetList(service) }));
  app.get('/datasets/:id', async (request: FastifyRequest<Id>) => datasetJson(service, request.params.id));

  app.get(
    '/transformation/:id/results',
    async (request: FastifyRequest<Id & { Querystring: { later_than?: string } }>) => {
      const raw = request.query.later_than;
      const later = raw ? isoToMicros(raw) : undefined;
      if (later === null) throw new HepqError('servicex/request', `later_than '${raw}' is not an ISO time`);
      return { results: service.results(request.params.id, later).map(resultJson) };
    },
  );

  app.get('/transformation/:id/cancel', async (request: FastifyRequest<Id>) => {
    const rec = await service.cancel(request.params.id);
    return { message: `transformation ${rec.id} is ${rec.status}` };
  });

  app.delete('/transformation/:id', async (request: FastifyRequest<Id>) => {
    service.get(request.params.id);
    await service.delete(request.params.id);
    return { message: `transformation ${request.params.id} deleted` };
  });

  app.post('/transformation/file-urls', async (request: FastifyRequest<{ Body: unknown }>) => {
    const b = (request.body ?? {}) as { request_id?: unknown; file_list?: unknown };
    const id = String(b.request_id ?? '');
    service.get(id);
    if (!Array.isArray(b.file_list))
      throw new HepqError('servicex/request', '"file_list" must be an array of names');
    const base = `${request.protocol}://${request.host}${app.prefix}/files/${encodeURIComponent(id)}/`;
    const headers: Record<string, string> = {};
    if (request.headers.authorization) headers.Authorization = request.headers.authorization;
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const uris: Record<string, [string, Record<string, string>, number]> = {};
    for (const entry of b.file_list) {
      const name = Array.isArray(entry) ? String(entry[0]) : String(entry);
      if (!service.resultPath(id, name))
        throw new HepqError('servicex/not-found', `transformation ${id} has no result file '${name}'`);
      uris[name] = [`${base}${encodeURIComponent(name)}`, headers, expires];
    }
    return { uris };
  });

  const download = async (
    request: FastifyRequest<{ Params: { id: string; name: string } }>,
    reply: FastifyReply,
  ) => {
    const path = service.resultPath(request.params.id, request.params.name);
    if (!path) return reply.code(404).send({ message: `no result file '${request.params.name}'` });
    const type = path.endsWith('.parquet') ? 'application/vnd.apache.parquet' : 'application/octet-stream';
    return sendFile(request, reply, path, type);
  };
  app.route({ method: ['GET', 'HEAD'], url: '/files/:id/:name', handler: download, exposeHeadRoute: false });

  s3Routes(app, service, {
    base: '/s3',
    keys,
    secret: options.token,
    ...(options.log ? { log: options.log } : {}),
  });
}

export interface ServicexRootOptions {
  readonly service: TransformService;
  readonly token?: string;
  readonly log?: (line: string) => void;
}

/**
 * The root of a `hepq servicex` endpoint, as a ServiceX deployment has it: `POST /token/refresh` (the refresh
 * token as bearer → `{access_token}`, a JWT with `exp`) and the S3 (minio) path, `/<request id>/<object>`.
 */
export async function servicexRootPlugin(app: FastifyInstance, options: ServicexRootOptions): Promise<void> {
  const { token } = options;
  app.post('/token/refresh', async (request, reply) => {
    if (!token) return { access_token: accessToken('hepq-no-auth') };
    if (bearerKind(request.headers.authorization, token) !== 'refresh')
      return reply.code(401).send({ message: 'Invalid or outdated refresh token' });
    return { access_token: accessToken(token) };
  });
  s3Routes(app, options.service, {
    base: '',
    keys: s3Keys(token),
    secret: token,
    ...(options.log ? { log: options.log } : {}),
  });
}
