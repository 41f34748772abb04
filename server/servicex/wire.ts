/** The ServiceX wire format: records of src/transform as the JSON (dashed field names) the python client reads. */
import type { ResultEntry, TransformRecord } from '../transform/index.js';

export interface WireOptions {
  readonly appVersion: string;
  /** `host:port` of the S3-compatible read path, for clients that download with an S3 library. */
  readonly s3Endpoint?: string;
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
    'submit-time': rec.submitTime,
    'finish-time': rec.finishTime,
    'minio-endpoint': opts.s3Endpoint ?? null,
    'minio-secured': false,
    'minio-access-key': 'hepq',
    'minio-secret-key': 'hepq',
    'log-url': null,
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
    created_at: r.createdAt,
  };
}
