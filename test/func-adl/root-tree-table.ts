/**
 * A minimal ConnectorTable over the ROOT reader's RootTree, for end-to-end tests until the ROOT connector
 * exposes its own (one batch per scan; the real connector will batch by cluster and prune baskets).
 */
import type { ConnectorTable } from '../../connectors/api.js';
import { openRoot } from '../../connectors/root/index.js';

export async function rootTreeTable(
  path: string,
  tree: string,
): Promise<ConnectorTable & { close(): Promise<void> }> {
  const handle = await openRoot(path);
  const t = await handle.tree(tree);
  const names = t.readable().map((b) => b.name);
  const schema = t.schema(names);
  return {
    name: tree,
    schema: () => schema,
    statistics: () => ({ entries: t.entries, clusters: [0, t.entries], columns: [] }),
    supportsFilter: () => 'unsupported',
    scan(options = {}) {
      const cols = options.columns ?? names;
      const s = t.schema(cols);
      return {
        schema: s,
        async *[Symbol.asyncIterator]() {
          yield await t.read(cols, options.range ?? {});
        },
      };
    },
    close: async () => {
      await (handle as unknown as { close?: () => Promise<void> }).close?.();
    },
  };
}
