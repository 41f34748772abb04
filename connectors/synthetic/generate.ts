/** `generateEvents`: a seeded, reproducible stream of synthetic event batches, one cluster per batch. */
import { type Batch, type BatchStream, HepqError } from '../../exec/batch/index.js';
import { type ClusterColumns, generateCluster } from './event-model.js';
import { SYNTHETIC_PROCESSES, type SyntheticProcess } from './processes.js';
import { Rng } from './rng.js';
import { COLUMNAR_ORDER, LAYOUTS, reorder, SYNTHETIC_SCHEMAS, type SyntheticSchema } from './schemas.js';

export interface GenerateOptions {
  readonly schema?: SyntheticSchema;
  readonly events: number;
  /** Same seed (and batch size) → the same events, in any output format. Default 1. */
  readonly seed?: number;
  /** Events per batch (= per cluster when written to ROOT). Default 100 000. */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /** `root` (default): columns in ROOT branch order; `columnar`: the order of the layout's Parquet files. */
  readonly columnOrder?: 'root' | 'columnar';
  /** Generate one process only (an AGC sample), with its truth label in a `truth_process` column. */
  readonly process?: SyntheticProcess;
}

/** A generated cluster in a layout: the schema's columns (reordered if asked) plus the truth label of a process sample. */
export function presentCluster(
  c: ClusterColumns,
  schema: SyntheticSchema,
  columnOrder: 'root' | 'columnar' = 'root',
  process?: SyntheticProcess,
): Batch {
  let b = LAYOUTS[schema](c);
  if (process) {
    const truth = Int32Array.from(c.process);
    b = {
      ...b,
      schema: {
        fields: [...b.schema.fields, { name: 'truth_process', type: { kind: 'primitive', type: 'int32' } }],
      },
      columns: [...b.columns, { kind: 'primitive', type: 'int32', values: truth }],
    };
  }
  const order = columnOrder === 'columnar' ? COLUMNAR_ORDER[schema] : undefined;
  return order ? reorder(b, order) : b;
}

/**
 * Generate `events` synthetic events lazily, batch by batch (never all in memory). Each batch draws from its
 * own random stream (seed, batch index), so a batch can be regenerated alone.
 */
export function generateEvents(options: GenerateOptions): BatchStream {
  const schema = options.schema ?? 'adl';
  if (!SYNTHETIC_SCHEMAS.includes(schema)) {
    throw new HepqError('synthetic/bad-schema', `unknown synthetic schema '${schema}'`, {
      hint: `use one of ${SYNTHETIC_SCHEMAS.join(', ')}`,
    });
  }
  const events = options.events;
  if (!Number.isSafeInteger(events) || events < 0)
    throw new HepqError(
      'synthetic/bad-events',
      `the number of events must be a non-negative integer, not ${events}`,
    );
  const batchSize = options.batchSize ?? 100_000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new HepqError(
      'synthetic/bad-batch-size',
      `the batch size must be a positive integer, not ${batchSize}`,
    );
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed))
    throw new HepqError('synthetic/bad-seed', `the seed must be an integer, not ${seed}`);
  const process = options.process;
  if (process !== undefined && !SYNTHETIC_PROCESSES.includes(process))
    throw new HepqError('synthetic/bad-process', `unknown process '${process}'`, {
      hint: `use one of ${SYNTHETIC_PROCESSES.join(', ')}`,
    });
  const layout = (c: ClusterColumns) => presentCluster(c, schema, options.columnOrder, process);
  const empty = layout(generateCluster(new Rng(seed, 0), 0, 0, process));
  return {
    schema: empty.schema,
    async *[Symbol.asyncIterator](): AsyncGenerator<Batch> {
      for (let first = 0, index = 0; first < events; first += batchSize, index++) {
        options.signal?.throwIfAborted();
        const n = Math.min(batchSize, events - first);
        yield layout(generateCluster(new Rng(seed, index), n, first, process));
      }
    },
  };
}
