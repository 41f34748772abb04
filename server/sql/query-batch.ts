/** A func_adl query result as one batch of rows, for SQL's `func_adl(query, file)`. */
import {
  type Batch,
  type Column,
  HepqError,
  type JsValue,
  primitive,
  type Schema,
  utf8FromStrings,
} from '../../exec/batch/index.js';
import type { QueryResult } from '../../exec/index.js';
import { resultBatch } from '../output/encode.js';

const f64 = (values: ArrayLike<number>): Column => primitive('float64', Float64Array.from(values));

function valueColumn(v: JsValue): { schema: Schema; column: Column } {
  if (typeof v === 'number')
    return {
      schema: { fields: [{ name: 'value', type: { kind: 'primitive', type: 'float64' } }] },
      column: f64([v]),
    };
  if (typeof v === 'bigint')
    return {
      schema: { fields: [{ name: 'value', type: { kind: 'primitive', type: 'int64' } }] },
      column: primitive('int64', BigInt64Array.of(v)),
    };
  if (typeof v === 'boolean')
    return {
      schema: { fields: [{ name: 'value', type: { kind: 'primitive', type: 'bool' } }] },
      column: primitive('bool', Uint8Array.of(v ? 1 : 0)),
    };
  return {
    schema: { fields: [{ name: 'value', type: { kind: 'utf8' } }] },
    column: utf8FromStrings([JSON.stringify(v)]),
  };
}

export function queryResultBatch(r: QueryResult): Batch {
  switch (r.kind) {
    case 'rows': {
      if (r.batches.length === 0)
        throw new HepqError(
          'sql/empty-query-result',
          'the func_adl query returned no batches to take column types from',
        );
      return resultBatch(r.schema, r.batches);
    }
    case 'value': {
      const { schema, column } = valueColumn(r.value);
      return { schema, columns: [column], length: 1 };
    }
    case 'histogram': {
      const h = r.histogram;
      if (h.edges2)
        throw new HepqError('sql/hist2d', 'a 2-D histogram cannot be a SQL table yet; use Hist (1-D)');
      const n = h.counts.length;
      const f = (name: string) => ({ name, type: { kind: 'primitive', type: 'float64' } as const });
      return {
        schema: { fields: [f('lo'), f('hi'), f('count'), f('sumw2')] },
        columns: [f64(h.edges.slice(0, n)), f64(h.edges.slice(1, n + 1)), f64(h.counts), f64(h.sumw2)],
        length: n,
      };
    }
    case 'histograms': {
      // One row per bin of every histogram, its category labels as leading text columns.
      const set = r.histograms;
      if (set.histograms.some((h) => h.edges2))
        throw new HepqError('sql/hist2d', 'a 2-D histogram cannot be a SQL table yet; use Hist (1-D)');
      const labels = set.categories.map(() => [] as string[]);
      const lo: number[] = [];
      const hi: number[] = [];
      const count: number[] = [];
      const sumw2: number[] = [];
      for (const h of set.histograms)
        h.counts.forEach((c, i) => {
          set.categories.forEach((name, k) => {
            labels[k]!.push(h.labels[name]!);
          });
          lo.push(h.edges[i]!);
          hi.push(h.edges[i + 1]!);
          count.push(c);
          sumw2.push(h.sumw2[i]!);
        });
      const f = (name: string) => ({ name, type: { kind: 'primitive', type: 'float64' } as const });
      return {
        schema: {
          fields: [
            ...set.categories.map((name) => ({ name, type: { kind: 'utf8' } as const })),
            f('lo'),
            f('hi'),
            f('count'),
            f('sumw2'),
          ],
        },
        columns: [...labels.map((l) => utf8FromStrings(l)), f64(lo), f64(hi), f64(count), f64(sumw2)],
        length: lo.length,
      };
    }
  }
}
