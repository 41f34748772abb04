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
 *   GET|HEAD /files/:id/:name               download (Range)
 *   /s3/:bucket[/key]                       read-only S3 path (ListObjectsV2, HeadObject, GetObject)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HepqError } from '../../exec/batch/index.js';
import { CODEGENS, type TransformService, type TransformSubmission } from '../transform/index.js';
import { sendFile } from './files.js';
import { s3Routes } from './s3.js';
import { resultJson, statusJson, type WireOptions } from './wire.js';

export interface ServicexPluginOptions {
  readonly service: TransformService;
  readonly appVersion?: string;
  /** Require `Authorization: Bearer <token>` on every route (leave unset when the host app has its own hook). */
  readonly token?: string;
  /** `host:port` advertised as the S3 (minio) endpoint in status records. */
  readonly s3Endpoint?: string;
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

function bearerOk(request: FastifyRequest, token: string): boolean {
  const h = request.headers.authorization;
  return typeof h === 'string' && h === `Bearer ${token}`;
}

export async function servicexPlugin(app: FastifyInstance, options: ServicexPluginOptions): Promise<void> {
  const { service } = options;
  const wire: WireOptions = {
    appVersion: options.appVersion ?? '0.1.0',
    ...(options.s3Endpoint ? { s3Endpoint: options.s3Endpoint } : {}),
  };
  await service.start();

  if (options.token) {
    const token = options.token;
    app.addHook('onRequest', async (request, reply) => {
      if (!bearerOk(request, token)) {
        reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send({ message: 'missing or wrong bearer token' });
        return reply;
      }
    });
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
    'app-version': wire.appVersion,
    'code-gen-image': Object.fromEntries(CODEGENS.map((c) => [c, `hepq/${c}`])),
    capabilities: CAPABILITIES,
  }));

  app.post('/transformation', async (request) => {
    const id = await service.submit(submission(request.body));
    return { request_id: id };
  });

  app.get('/transformation', async () => ({ requests: service.list().map((r) => statusJson(r, wire)) }));

  type Id = { Params: { id: string } };
  const status = async (request: FastifyRequest<Id>) => statusJson(service.get(request.params.id), wire);
  app.get('/transformation/:id', status);
  app.get('/transformation/:id/status', status);

  app.get(
    '/transformation/:id/results',
    async (request: FastifyRequest<Id & { Querystring: { later_than?: string } }>) => {
      const raw = request.query.later_than;
      let later: Date | undefined;
      if (raw) {
        later = new Date(raw.includes('T') || raw.includes(' ') ? raw : Number(raw));
        if (Number.isNaN(later.getTime()))
          throw new HepqError('servicex/request', `later_than '${raw}' is not an ISO time`);
      }
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

  s3Routes(app, service);
}
