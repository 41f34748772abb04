/**
 * A read-only S3-compatible view of the results, for clients that download with an S3 library (path-style):
 * one bucket per request id; ListObjectsV2, HeadObject and GetObject (with ranges).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TransformService } from '../transform/index.js';
import { sendFile } from './files.js';

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

/** Register the S3 routes under the current prefix (the plugin mounts them at `<prefix>/s3`). */
export function s3Routes(app: FastifyInstance, service: TransformService): void {
  const list = async (
    request: FastifyRequest<{ Params: { bucket: string }; Querystring: ListQuery }>,
    reply: FastifyReply,
  ) => {
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
  app.get('/s3/:bucket', list);

  const object = async (
    request: FastifyRequest<{ Params: { bucket: string; '*': string }; Querystring: ListQuery }>,
    reply: FastifyReply,
  ) => {
    const { bucket } = request.params;
    const key = request.params['*'];
    if (key === '') return list(request, reply); // path-style ListObjectsV2 is `GET /bucket/?list-type=2`
    if (!service.store.get(bucket))
      return s3Error(reply, 404, 'NoSuchBucket', 'The specified bucket does not exist', bucket);
    const path = service.resultPath(bucket, key);
    if (!path)
      return s3Error(reply, 404, 'NoSuchKey', 'The specified key does not exist.', `${bucket}/${key}`);
    return sendFile(request, reply, path);
  };
  app.route({ method: ['GET', 'HEAD'], url: '/s3/:bucket/*', handler: object, exposeHeadRoute: false });
}
