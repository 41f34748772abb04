/**
 * The ServiceX wire format: records of server/transform as the JSON the python client reads, field by field as
 * the ServiceX server's `TransformRequest.to_json` and transformation resources write them.
 */
import { createHash } from 'node:crypto';
import type { ResultEntry, TransformRecord } from '../transform/index.js';
import type { S3Keys } from './auth.js';

export interface WireOptions {
  readonly appVersion: string;
  /** `host:port` of the S3-compatible read path (the client downloads with aioboto3 from there). */
  readonly s3Endpoint: string;
  readonly s3Keys: S3Keys;
  /** The client reached us over https (then it downloads over https too). */
  readonly s3Secure: boolean;
  /** `<scheme>://<host><prefix>/transformation/`: the log URL is this plus `<id>/logs`. */
  readonly logBase: string;
  /** The `?sig=` a request's log URL carries so that it opens without a bearer header (none without auth). */
  readonly logSig?: (requestId: string) => string;
}

/** The integer id of a dataset (the client's model requires `did_id` to be an int): stable for equal dids. */
export function didId(did: string): number {
  return Number.parseInt(createHash('sha256').update(did).digest('hex').slice(0, 8), 16) & 0x7fffffff;
}

/** A stored ISO time (ms, `Z`) in the server's `%Y-%m-%dT%H:%M:%S.%fZ` form (six fraction digits). */
export function isoMicrosZ(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Counts derived from the same file records the results listing reads, so they always agree. */
export function counts(rec: TransformRecord): { completed: number; failed: number; remaining: number } {
  let completed = 0;
  let failed = 0;
  let remaining = 0;
  for (const f of rec.files) {
    if (f.state === 'done') completed++;
    else if (f.state === 'failed') failed++;
    else if (f.state === 'pending' || f.state === 'running') remaining++;
  }
  return { completed, failed, remaining };
}

/** The status record `GET /servicex/transformation/<id>` returns (every field the client requires is set). */
export function statusJson(rec: TransformRecord, opts: WireOptions): Record<string, unknown> {
  const c = counts(rec);
  return {
    request_id: rec.id,
    title: rec.title,
    did: rec.did,
    did_id: didId(rec.did),
    selection: rec.selection,
    'tree-name': rec.treeName,
    image: `hepq/${rec.codegen}`,
    codegen: rec.codegen,
    'result-destination': rec.resultDestination,
    'result-format': rec.resultFormat,
    'generated-code-cm': `hepq-${rec.codegen}-${rec.id}`,
    status: rec.status,
    'app-version': opts.appVersion,
    files: rec.files.length,
    'files-completed': c.completed,
    'files-failed': c.failed,
    'files-remaining': c.remaining,
    'submit-time': isoMicrosZ(rec.submitTime),
    'finish-time': rec.finishTime === null ? null : isoMicrosZ(rec.finishTime),
    'minio-endpoint': opts.s3Endpoint,
    'minio-secured': opts.s3Secure,
    'minio-access-key': opts.s3Keys.accessKey,
    'minio-secret-key': opts.s3Keys.secretKey ?? 'hepq',
    'log-url': `${opts.logBase}${encodeURIComponent(rec.id)}/logs${opts.logSig ? `?sig=${opts.logSig(rec.id)}` : ''}`,
    'file-errors': rec.files
      .filter((f) => f.state === 'failed')
      .map((f) => ({ file: f.input, index: f.index, error: f.error ?? 'failed' })),
  };
}

/** One entry of `GET …/results`: the fields of the current server and of older clients. */
export function resultJson(r: ResultEntry): Record<string, unknown> {
  return {
    filename: r.name,
    size: r.bytes,
    extension: r.name.split('.').pop(),
    's3-object-name': r.name,
    'file-path': r.input,
    'total-bytes': r.bytes,
    'total-events': r.events,
    transform_status: 'success',
    transform_time: r.seconds,
    'avg-rate': r.seconds > 0 ? r.events / r.seconds : 0,
    // `+00:00`, not `Z`: the client parses it with datetime.fromisoformat, which takes no `Z` before Python 3.11.
    created_at: r.createdAt.replace(/Z$/, '+00:00'),
  };
}

/** The text behind the status record's `log-url`: the request, then one line per file (errors in full). */
export function logText(rec: TransformRecord): string {
  const c = counts(rec);
  const lines = [
    `request ${rec.id} ${JSON.stringify(rec.title ?? '')}: ${rec.status}`,
    `submitted ${rec.submitTime}${rec.finishTime ? `, finished ${rec.finishTime}` : ''}`,
    `files: ${rec.files.length} (${c.completed} completed, ${c.failed} failed, ${c.remaining} remaining)`,
    '',
  ];
  for (const f of rec.files) {
    const head = `[${f.state}] #${f.index} ${f.input} -> ${f.output}`;
    const extra = f.state === 'done' ? ` (${f.events ?? 0} events, ${f.rows ?? 0} rows)` : '';
    lines.push(head + extra);
    if (f.error) lines.push(...f.error.split('\n').map((l) => `    ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
