/** Result formats of the HTTP API and their media types, chosen by a `format` field or the Accept header. */
import { HepqError } from '../../exec/batch/index.js';
import type { SqlFormat } from '../sql/index.js';

export type WireFormat = Exclude<SqlFormat, 'table'>;

export const MEDIA_TYPES: Record<WireFormat, string> = {
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  csv: 'text/csv',
  arrow: 'application/vnd.apache.arrow.stream',
  parquet: 'application/vnd.apache.parquet',
};

const BY_TYPE = new Map<string, WireFormat>(
  Object.entries(MEDIA_TYPES).map(([f, t]) => [t, f as WireFormat]),
);
BY_TYPE.set('application/parquet', 'parquet');
BY_TYPE.set('application/jsonl', 'jsonl');

/** The format named explicitly, else the best acceptable one (JSON when anything goes). */
export function chooseFormat(explicit: unknown, accept: string | undefined): WireFormat {
  if (explicit !== undefined && explicit !== null) {
    if (typeof explicit === 'string' && Object.hasOwn(MEDIA_TYPES, explicit)) return explicit as WireFormat;
    const shown =
      typeof explicit === 'string' ? JSON.stringify(explicit.slice(0, 40)) : `of type ${typeof explicit}`;
    throw new HepqError('server/bad-format', `unknown format ${shown}`, {
      hint: `use one of ${Object.keys(MEDIA_TYPES).join(', ')}`,
    });
  }
  if (!accept) return 'json';
  const ranges = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type!.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (r.type === '*/*' || r.type === 'application/*') return 'json';
    const f = BY_TYPE.get(r.type);
    if (f) return f;
    if (r.type === 'text/*') return 'csv';
  }
  throw new HepqError('server/not-acceptable', `none of the accepted types (${accept}) can be produced`, {
    hint: `ask for one of ${Object.values(MEDIA_TYPES).join(', ')}`,
  });
}
