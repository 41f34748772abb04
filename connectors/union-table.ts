/** Several tables with the same schema (one tree over many files) scanned one after another as one table. */

import { type BatchStream, HepqError, type Schema } from '../exec/batch/index.js';
import type { ConnectorTable, PushdownSupport, ScanFilter, ScanOptions, TableStatistics } from './api.js';

function sameType(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class UnionTable implements ConnectorTable {
  readonly name: string;
  readonly parts: readonly ConnectorTable[];
  private readonly unionSchema: Schema;

  /** `labels` name each part in errors (file names). Columns missing from a part are dropped from the union. */
  constructor(parts: readonly ConnectorTable[], labels: readonly string[] = []) {
    if (parts.length === 0) throw new HepqError('query/no-files', 'no input tables to scan');
    this.parts = parts;
    this.name = parts[0]!.name;
    const first = parts[0]!.schema();
    const fields = first.fields.filter((f) =>
      parts.every((p, i) => {
        const g = p.schema().fields.find((x) => x.name === f.name);
        if (g && !sameType(g.type, f.type))
          throw new HepqError(
            'query/schema-mismatch',
            `column ${f.name} has a different type in ${labels[i] ?? `input ${i + 1}`} than in ${labels[0] ?? 'input 1'}`,
          );
        return g !== undefined;
      }),
    );
    this.unionSchema = { fields };
  }

  schema(): Schema {
    return this.unionSchema;
  }

  statistics(): TableStatistics {
    const clusters: number[] = [0];
    let entries = 0;
    const bytes = new Map<string, { c: number; u: number }>();
    for (const p of this.parts) {
      const s = p.statistics();
      for (const b of s.clusters.slice(1)) clusters.push(entries + b);
      entries += s.entries;
      for (const c of s.columns) {
        const t = bytes.get(c.name) ?? { c: 0, u: 0 };
        t.c += c.compressedBytes;
        t.u += c.uncompressedBytes;
        bytes.set(c.name, t);
      }
    }
    return {
      entries,
      clusters,
      columns: [...bytes].map(([name, t]) => ({ name, compressedBytes: t.c, uncompressedBytes: t.u })),
    };
  }

  supportsFilter(filter: ScanFilter): PushdownSupport {
    const s = this.parts.map((p) => p.supportsFilter(filter));
    return s.every((x) => x === 'exact') ? 'exact' : s.includes('unsupported') ? 'unsupported' : 'inexact';
  }

  /** Scans each part in order; `range` counts entries across the parts. */
  scan(options: ScanOptions = {}): BatchStream {
    const columns = options.columns ?? this.unionSchema.fields.map((f) => f.name);
    const parts = this.parts;
    const schema = { fields: columns.map((n) => this.unionSchema.fields.find((f) => f.name === n)!) };
    return {
      schema,
      async *[Symbol.asyncIterator]() {
        let offset = 0;
        for (const p of parts) {
          const n = p.statistics().entries;
          const lo = Math.max(0, (options.range?.start ?? 0) - offset);
          const hi = Math.min(n, (options.range?.stop ?? Number.POSITIVE_INFINITY) - offset);
          offset += n;
          if (hi <= lo) continue;
          yield* p.scan({ ...options, columns, range: { start: lo, stop: hi } });
        }
      },
    };
  }
}
