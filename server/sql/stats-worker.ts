/**
 * Worker-thread entry for the SQL stats table functions (`hypotest`, `histfactory_fit`, `upper_limit`):
 * runs one on its arguments and posts back its rows (typed arrays transferred), so a long fit never holds
 * the server's event loop. Built to `dist/sql-stats-worker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Column } from '../../exec/batch/index.js';
import { concatColumns } from '../../exec/index.js';
import { registerStatsFunctions, type StatsFunctionArgs } from '../../stats/index.js';
import { FunctionRegistry } from '../../udfs/api.js';

const { name, args } = workerData as { name: string; args: StatsFunctionArgs };

/** The buffers behind a column's typed arrays (to transfer rather than copy). */
function buffers(c: unknown, out: Set<ArrayBuffer>): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(c)) out.add(c.buffer as ArrayBuffer);
  else if (c && typeof c === 'object') for (const v of Object.values(c)) buffers(v, out);
  return out;
}

try {
  const tf = registerStatsFunctions(new FunctionRegistry()).table(name);
  const empty = { schema: { fields: [] }, async *[Symbol.asyncIterator]() {} };
  const stream = tf.execute(args, empty);
  const parts: Column[][] = [];
  let length = 0;
  for await (const b of stream) {
    parts.push([...b.columns]);
    length += b.length;
  }
  const columns = parts.length
    ? stream.schema.fields.map((_, k) => concatColumns(parts.map((p) => p[k]!)))
    : [];
  parentPort!.postMessage({ schema: stream.schema, columns, length }, [...buffers(columns, new Set())]);
} catch (e) {
  const err = e as { code?: string; message?: string; hint?: string };
  parentPort!.postMessage({ error: { code: err.code, message: err.message ?? String(e), hint: err.hint } });
}
