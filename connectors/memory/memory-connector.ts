/** An in-memory connector: tables of hepq columns served through the connector contract, batch by batch. */
import {
  type Batch,
  type BatchStream,
  type Column,
  columnBytes,
  columnLength,
  didYouMean,
  HepqError,
  type Schema,
  sliceColumn,
} from '../../exec/batch/index.js';
import type {
  Connector,
  ConnectorTable,
  PushdownSupport,
  ScanFilter,
  ScanOptions,
  TableStatistics,
} from '../api.js';

export interface MemoryTableOptions {
  /** Rows per batch when a scan does not ask for a size (default 65536). */
  readonly batchSize?: number;
}

/** A table of equal-length columns held in memory. */
export class MemoryTable implements ConnectorTable {
  readonly length: number;
  private readonly batchSize: number;

  constructor(
    readonly name: string,
    private readonly tableSchema: Schema,
    private readonly columns: readonly Column[],
    options: MemoryTableOptions = {},
  ) {
    if (columns.length !== tableSchema.fields.length)
      throw new HepqError('memory/bad-table', 'one column per schema field');
    this.length = columns.length ? columnLength(columns[0]!) : 0;
    columns.forEach((c, i) => {
      if (columnLength(c) !== this.length)
        throw new HepqError(
          'memory/bad-table',
          `column ${tableSchema.fields[i]!.name} has ${columnLength(c)} rows, expected ${this.length}`,
        );
    });
    this.batchSize = options.batchSize ?? 65536;
  }

  schema(): Schema {
    return this.tableSchema;
  }

  statistics(): TableStatistics {
    const clusters: number[] = [];
    for (let s = 0; s < this.length; s += this.batchSize) clusters.push(s);
    clusters.push(this.length);
    return {
      entries: this.length,
      clusters,
      columns: this.tableSchema.fields.map((f, i) => {
        const bytes = columnBytes(this.columns[i]!);
        return { name: f.name, compressedBytes: bytes, uncompressedBytes: bytes };
      }),
    };
  }

  /** Filters are not applied by this connector; the executor evaluates them. */
  supportsFilter(_filter: ScanFilter): PushdownSupport {
    return 'unsupported';
  }

  scan(options: ScanOptions = {}): BatchStream {
    const names = options.columns ?? this.tableSchema.fields.map((f) => f.name);
    const index = names.map((n) => {
      const k = this.tableSchema.fields.findIndex((f) => f.name === n);
      if (k < 0) {
        const near = didYouMean(
          n,
          this.tableSchema.fields.map((f) => f.name),
        );
        throw new HepqError(
          'memory/bad-table',
          `table ${this.name} has no column ${n}`,
          near ? { hint: `did you mean ${near}?` } : {},
        );
      }
      return k;
    });
    const schema: Schema = { fields: index.map((k) => this.tableSchema.fields[k]!) };
    const start = Math.max(0, options.range?.start ?? 0);
    const stop = Math.min(this.length, options.range?.stop ?? this.length);
    const size = Math.max(1, options.batchSize ?? this.batchSize);
    const columns = this.columns;
    return {
      schema,
      async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
        for (let s = start; s < stop; s += size) {
          options.signal?.throwIfAborted();
          const e = Math.min(stop, s + size);
          yield { schema, columns: index.map((k) => sliceColumn(columns[k]!, s, e)), length: e - s };
        }
      },
    };
  }
}

/** A connector over named in-memory tables. */
export class MemoryConnector implements Connector {
  readonly kind = 'memory';
  private readonly byName: Map<string, MemoryTable>;

  constructor(tables: readonly MemoryTable[]) {
    this.byName = new Map(tables.map((t) => [t.name, t]));
  }

  tables(): readonly string[] {
    return [...this.byName.keys()];
  }

  table(name: string): MemoryTable {
    const t = this.byName.get(name);
    if (!t) {
      const near = didYouMean(name, this.byName.keys());
      throw new HepqError('memory/no-table', `no table ${name}`, {
        hint: near ? `did you mean ${near}?` : `tables: ${this.tables().join(', ')}`,
      });
    }
    return t;
  }

  async close(): Promise<void> {}
}
