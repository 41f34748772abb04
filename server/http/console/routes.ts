/**
 * The web console's routes: `GET /` (the page), and the few JSON helpers it needs beside `/query` and `/sql` —
 * the files under the data roots, a file's branches (for completion), a histogram drawn as SVG by the CLI's
 * plotting, and a func_adl query's `explain`.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { HepqError } from '../../../exec/batch/index.js';
import type { Session } from '../../index.js';
import { type HistogramData, histogramSpec, renderSvg } from '../../plot/index.js';
import { columnTypeText } from '../../repl/index.js';
import { consolePage } from './page.js';

export interface ConsoleOptions {
  readonly session: Session;
  /** confines a client's file name to the data roots (throws a located HepqError) */
  readonly resolveFile: (file: string) => string;
  readonly roots: readonly string[];
}

/** Files the console offers: ROOT and Parquet data, JSON workspaces; at most this many, this deep. */
const MAX_FILES = 2000;
const MAX_DEPTH = 4;

/** Data and workspace files under the roots: names relative to the first root, absolute under the others. */
export function listDataFiles(roots: readonly string[]): { data: string[]; workspaces: string[] } {
  const data: string[] = [];
  const workspaces: string[] = [];
  roots.forEach((root, k) => {
    const walk = (dir: string, depth: number) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (data.length + workspaces.length >= MAX_FILES) return;
        if (e.name.startsWith('.') || e.name === 'node_modules') continue;
        const path = join(dir, e.name);
        const name = k === 0 ? relative(root, path) : path;
        if (e.isDirectory() && depth < MAX_DEPTH) walk(path, depth + 1);
        else if (/\.(root|parquet)$/i.test(e.name)) data.push(name);
        else if (/\.json$/i.test(e.name) && !/^(package|tsconfig|biome)/.test(e.name)) workspaces.push(name);
      }
    };
    walk(root, 0);
  });
  return { data, workspaces };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

function isHistogram(v: unknown): v is HistogramData {
  const h = v as HistogramData;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(h.edges) &&
    Array.isArray(h.counts) &&
    h.edges.every((x) => typeof x === 'number') &&
    h.counts.every((x) => typeof x === 'number')
  );
}

/** Register the console on a server (behind the same bearer hook as the API; the page itself is open). */
export function registerConsole(app: FastifyInstance, options: ConsoleOptions): void {
  const { session, resolveFile, roots } = options;
  const page = consolePage();

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page),
  );

  app.get('/console/files', { schema: { hide: true } }, async () => listDataFiles(roots));

  app.get('/console/schema', { schema: { hide: true } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const file = str(q.file);
    if (!file) throw new HepqError('server/invalid-request', 'give ?file=NAME (a file under the data roots)');
    const tree = str(q.tree);
    const table = await session.open(resolveFile(file), tree ? { tree } : {});
    return {
      file,
      tree: table.name,
      entries: table.statistics().entries,
      fields: table.schema().fields.map((f) => ({ name: f.name, type: columnTypeText(f.type) })),
    };
  });

  app.post('/console/plot', { schema: { hide: true } }, async (request) => {
    const body = request.body as Record<string, unknown> | undefined;
    const h = body?.histogram;
    if (!isHistogram(h))
      throw new HepqError('server/invalid-request', 'send {"histogram": {"edges": […], "counts": […]}}', {
        hint: 'the JSON a .Hist(…) query answers',
      });
    const labels = {
      ...(str(body?.title) ? { title: String(body?.title) } : {}),
      ...(str(body?.x) ? { x: String(body?.x) } : {}),
      ...(str(body?.y) ? { y: String(body?.y) } : {}),
    };
    return { svg: await renderSvg(histogramSpec(h, labels)) };
  });

  app.post('/console/explain', { schema: { hide: true } }, async (request) => {
    const body = request.body as Record<string, unknown> | undefined;
    const query = str(body?.query);
    if (!query) throw new HepqError('server/invalid-request', 'send {"query": "…", "files": ["…"]}');
    const files = Array.isArray(body?.files)
      ? body.files.filter((f): f is string => typeof f === 'string')
      : [];
    const tree = str(body?.tree);
    const text = await session.explain(query, {
      files: files.map((f) => resolveFile(f)),
      ...(tree ? { tree } : {}),
    });
    return { text };
  });
}
