/**
 * A read-only S3-compatible view of the results, for clients that download with an S3 library (path-style):
 * one bucket per request id; ListObjectsV2, HeadObject and GetObject (with ranges). With a server secret every
 * request must carry a valid SigV4 signature (header or presigned URL) made with the key pair the status
 * records hand out, or the bearer token; without one (a loopback-only server) anything is served.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TransformService } from '../transform/index.js';
import { bearerKind, type S3Keys } from './auth.js';
import { sendFile } from './files.js';
import { checkSigV4 } from './sigv4.js';

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function s3Error(reply: FastifyReply, status: number, code: string, message: string, resource: string) {
  reply.code(status).type('application/xml');
  if (reply.request.method === 'HEAD') return reply.send();
  return reply.send(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>` +
      `<Resource>${xmlEscape(resource)}</Resource></Error>`,
  );
}

interface ListQuery {
  readonly prefix?: string;
  readonly 'max-keys'?: string;
  readonly 'continuation-token'?: string;
  readonly 'start-after'?: string;
}

export interface S3RouteOptions {
  /** Path the buckets sit under: `/s3` inside the plugin, `` at the root of `hepq servicex` (as minio). */
  readonly base: string;
  readonly keys: S3Keys;
  /** The server secret (a bearer token is accepted as well as a signature); undefined: no checks. */
  readonly secret: string | undefined;
  /** Where refused requests are reported (the client gets one generic 403). */
  readonly log?: (line: string) => void;
}

/** Register the S3 routes under the current prefix. */
export function s3Routes(app: FastifyInstance, service: TransformService, options: S3RouteOptions): void {
  const { keys, secret } = options;
  /** A reply already sent when the request is not allowed. */
  const refused = (request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    if (!secret || !keys.secretKey) return undefined;
    if (bearerKind(request.headers.authorization, secret)) return undefined;
    const why = checkSigV4(
      { method: request.method, url: request.raw.url ?? request.url, headers: request.headers },
      keys.accessKey,
      keys.secretKey,
    );
    if (!why) return undefined;
    options.log?.(`s3: refused ${request.method} ${request.url.split('?')[0]}: ${why}`);
    return s3Error(reply, 403, 'AccessDenied', 'Access Denied', request.url.split('?')[0] ?? '');
  };
  const list = async (
    request: FastifyRequest<{ Params: { bucket: string }; Querystring: ListQuery }>,
    reply: FastifyReply,
  ) => {
    const denied = refused(request, reply);
    if (denied) return denied;
    const { bucket } = request.params;
    const rec = service.store.get(bucket);
    if (!rec) return s3Error(reply, 404, 'NoSuchBucket', 'The specified bucket does not exist', bucket);
    const q = request.query;
    const prefix = q.prefix ?? '';
    const max = Math.max(0, Math.min(1000, Number(q['max-keys'] ?? 1000)));
    const after = q['continuation-token'] ?? q['start-after'] ?? '';
    const all = service
      .results(bucket)
      .filter((r) => r.name.startsWith(prefix) && r.name > after)
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = all.slice(0, max);
    const truncated = all.length > page.length;
    const contents = page
      .map(
        (r) =>
          `<Contents><Key>${xmlEscape(r.name)}</Key><LastModified>${new Date(r.createdAt).toISOString()}</LastModified>` +
          `<ETag>"${r.bytes.toString(16)}"</ETag><Size>${r.bytes}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('');
    const next = truncated
      ? `<NextContinuationToken>${xmlEscape(page[page.length - 1]!.name)}</NextContinuationToken>`
      : '';
    reply.type('application/xml');
    return reply.send(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
        `<Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
        `<MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${contents}</ListBucketResult>`,
    );
  };
  app.get(`${options.base}/:bucket`, list);

  const object = async (
    request: FastifyRequest<{ Params: { bucket: string; '*': string }; Querystring: ListQuery }>,
    reply: FastifyReply,
  ) => {
    const { bucket } = request.params;
    const key = request.params['*'];
    if (key === '') return list(request, reply); // path-style ListObjectsV2 is `GET /bucket/?list-type=2`
    const denied = refused(request, reply);
    if (denied) return denied;
    if (!service.store.get(bucket))
      return s3Error(reply, 404, 'NoSuchBucket', 'The specified bucket does not exist', bucket);
    const path = service.resultPath(bucket, key);
    if (!path)
      return s3Error(reply, 404, 'NoSuchKey', 'The specified key does not exist.', `${bucket}/${key}`);
    return sendFile(request, reply, path);
  };
  app.route({
    method: ['GET', 'HEAD'],
    url: `${options.base}/:bucket/*`,
    handler: object,
    exposeHeadRoute: false,
  });
}
