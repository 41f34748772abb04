/**
 * Generated events as a table: `synthetic:adl?events=1000000&seed=42` (or `synthetic:nanoaod`, `synthetic:
 * physlite`, `&process=ttbar`, `&batch=100000`) scans like a file, with nothing on disk. Batch i is drawn from
 * stream (seed, i), so any entry range, on any thread, gives the same events as a whole scan.
 */

import {
  type Batch,
  type BatchStream,
  columnBytes,
  didYouMean,
  HepqError,
  type Schema,
  sliceColumn,
} from '../../exec/batch/index.js';
import type { ConnectorTable, PushdownSupport, ScanOptions, TableStatistics } from '../api.js';
import { generateCluster } from './event-model.js';
import { type GenerateOptions, presentCluster } from './generate.js';
import { SYNTHETIC_PROCESSES, type SyntheticProcess } from './processes.js';
import { Rng } from './rng.js';
import { SYNTHETIC_SCHEMAS, type SyntheticSchema } from './schemas.js';

export const SYNTHETIC_PREFIX = 'synthetic:';
const KEYS = ['events', 'seed', 'process', 'batch'];

/** The generator options a `synthetic:` URL names; a located error for anything else. */
export function parseSyntheticUrl(url: string): GenerateOptions & { batchSize: number; seed: number } {
  const bad = (message: string, hint?: string) =>
    new HepqError('synthetic/bad-url', `${url}: ${message}`, hint ? { hint } : {});
  if (!url.startsWith(SYNTHETIC_PREFIX)) throw bad(`a synthetic table is named ${SYNTHETIC_PREFIX}LAYOUT?…`);
  const [layout = '', query = ''] = url.slice(SYNTHETIC_PREFIX.length).split('?', 2);
  const schema = (layout || 'adl') as SyntheticSchema;
  if (!SYNTHETIC_SCHEMAS.includes(schema))
    throw bad(`no layout '${layout}'`, `use one of ${SYNTHETIC_SCHEMAS.join(', ')}`);
  const params = new URLSearchParams(query);
  for (const k of params.keys())
    if (!KEYS.includes(k)) {
      const near = didYouMean(k, KEYS);
      throw bad(
        `unknown parameter '${k}'`,
        near ? `did you mean ${near}?` : `parameters: ${KEYS.join(', ')}`,
      );
    }
  const int = (k: string, fallback: number, min: number) => {
    const s = params.get(k);
    if (s === null) return fallback;
    const v = Number(s.replace(/_/g, ''));
    if (!Number.isSafeInteger(v) || v < min) throw bad(`${k} must be an integer ≥ ${min}, not '${s}'`);
    return v;
  };
  const process = params.get('process') ?? undefined;
  if (process !== undefined && !SYNTHETIC_PROCESSES.includes(process as SyntheticProcess))
    throw bad(`unknown process '${process}'`, `use one of ${SYNTHETIC_PROCESSES.join(', ')}`);
  return {
    schema,
    events: int('events', 100_000, 0),
    seed: int('seed', 1, 0),
    batchSize: int('batch', 100_000, 1),
    ...(process ? { process: process as SyntheticProcess } : {}),
  };
}

/** A `ConnectorTable` of generated events (see the module comment). */
export class SyntheticTable implements ConnectorTable {
  private readonly options: ReturnType<typeof parseSyntheticUrl>;
  private readonly full: Schema;
  private readonly sample: Batch;

  constructor(readonly name: string) {
    this.options = parseSyntheticUrl(name);
    const o = this.options;
    this.sample = this.cluster(0, Math.min(o.batchSize, o.events, 1000));
    this.full = this.sample.schema;
  }

  private cluster(index: number, n: number): Batch {
    const o = this.options;
    return presentCluster(
      generateCluster(new Rng(o.seed, index), n, index * o.batchSize, o.process),
      o.schema ?? 'adl',
      'root',
      o.process,
    );
  }

  schema(): Schema {
    return this.full;
  }

  /** Sizes scaled from the first 1000 events (nothing is compressed). */
  statistics(): TableStatistics {
    const { events, batchSize } = this.options;
    const clusters: number[] = [];
    for (let s = 0; s < events; s += batchSize) clusters.push(s);
    clusters.push(events);
    const scale = this.sample.length ? events / this.sample.length : 0;
    return {
      entries: events,
      clusters,
      columns: this.full.fields.map((f, i) => {
        const bytes = columnBytes(this.sample.columns[i]!) * scale;
        return { name: f.name, compressedBytes: bytes, uncompressedBytes: bytes, codec: 'none' };
      }),
    };
  }

  /** Filters are evaluated by the executor. */
  supportsFilter(): PushdownSupport {
    return 'unsupported';
  }

  scan(options: ScanOptions = {}): BatchStream {
    const names = options.columns ?? this.full.fields.map((f) => f.name);
    const index = names.map((n) => {
      const k = this.full.fields.findIndex((f) => f.name === n);
      if (k < 0) {
        const near = didYouMean(
          n,
          this.full.fields.map((f) => f.name),
        );
        throw new HepqError('synthetic/no-column', `${this.name} has no column ${n}`, {
          ...(near ? { hint: `did you mean ${near}?` } : {}),
        });
      }
      return k;
    });
    const schema: Schema = { fields: index.map((k) => this.full.fields[k]!) };
    const { events, batchSize } = this.options;
    const start = Math.max(0, options.range?.start ?? 0);
    const stop = Math.min(events, options.range?.stop ?? events);
    return {
      schema,
      [Symbol.asyncIterator]: async function* (this: SyntheticTable): AsyncGenerator<Batch> {
        for (let b = Math.floor(start / batchSize); b * batchSize < stop; b++) {
          options.signal?.throwIfAborted();
          const first = b * batchSize;
          const whole = this.cluster(b, Math.min(batchSize, events - first));
          const s = Math.max(start, first) - first;
          const e = Math.min(stop, first + whole.length) - first;
          const columns = index.map((k) => whole.columns[k]!);
          yield {
            schema,
            columns: s === 0 && e === whole.length ? columns : columns.map((c) => sliceColumn(c, s, e)),
            length: e - s,
          };
        }
      }.bind(this),
    };
  }

  async close(): Promise<void> {}
}
