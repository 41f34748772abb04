/** Sending a result file over HTTP: whole, or one byte range (`Range: bytes=a-b`, `a-`, `-n`), for GET and HEAD. */
import { createReadStream, statSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** The byte range a `Range` header asks of a file of `size` bytes; undefined = whole file, null = unsatisfiable. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined | null {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // malformed or multi-range: serve the whole file
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return null;
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return null;
  return { start, end };
}

/** Reply with a file (honouring Range), with an ETag built from size and modification time. */
export function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  contentType = 'application/octet-stream',
): FastifyReply {
  const st = statSync(path);
  const range = parseRange(request.headers.range, st.size);
  reply.header('accept-ranges', 'bytes');
  reply.header('last-modified', st.mtime.toUTCString());
  reply.header('etag', `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`);
  reply.type(contentType);
  if (range === null) {
    reply.header('content-range', `bytes */${st.size}`);
    return reply.code(416).send();
  }
  const { start, end } = range ?? { start: 0, end: st.size - 1 };
  if (range) {
    reply.code(206);
    reply.header('content-range', `bytes ${start}-${end}/${st.size}`);
  }
  reply.header('content-length', String(Math.max(0, end - start + 1)));
  if (request.method === 'HEAD' || st.size === 0) return reply.send();
  return reply.send(createReadStream(path, { start, end }));
}
