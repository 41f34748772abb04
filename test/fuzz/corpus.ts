/** The fuzz harness's inputs: the real ROOT, RNTuple, Parquet files, the queries of the test suites, and the pyhf workspaces. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseQuery, planToQastle } from '../../query/index.js';
import { ADL_TASKS } from '../func-adl/adl-tasks.js';
import { ROOT_DATA, SHARED } from '../helpers/shared-data.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The 1000-event CMS Open Data sample that mutated queries run against. */
export const QUERY_FILE = 'conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root';

/** Paths relative to the shared folder, so a reproducer names its input without copying it. */
export function sharedPath(rel: string): string {
  return SHARED + rel;
}

function listShared(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(SHARED + dir)) return [];
  return readdirSync(SHARED + dir)
    .filter(keep)
    .sort()
    .map((f) => `${dir}/${f}`);
}

/** TTree files: every ROOT file of data/root and the func_adl conformance files (RNTuple files aside). */
export function rootCorpus(): string[] {
  const isTree = (f: string) => f.endsWith('.root') && !f.includes('rntuple');
  return [...listShared('data/root', isTree), ...listShared('conformance-data/func_adl_uproot', isTree)];
}

export function rntupleCorpus(): string[] {
  return listShared('data/root', (f) => f.endsWith('.root') && f.includes('rntuple'));
}

export function parquetCorpus(): string[] {
  return listShared('conformance-data/adl-benchmark', (f) => f.endsWith('.parquet'));
}

/** Workspaces small enough to fit many times a second (the large analyses are covered by their own tests). */
export function workspaceCorpus(): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const f of readdirSync(SHARED + dir).sort()) {
      const rel = `${dir}/${f}`;
      const st = statSync(SHARED + rel);
      if (st.isDirectory()) visit(rel);
      else if (
        f.endsWith('.json') &&
        st.size < 20000 &&
        !rel.includes('schema_invalid') &&
        !f.includes('patchset')
      )
        out.push(rel);
    }
  };
  if (existsSync(`${SHARED}data/stats/workspaces`)) visit('data/stats/workspaces');
  return out;
}

/** The queries of the logic-test files and the ADL tasks, each also in qastle when it parses. */
export function queryCorpus(): string[] {
  const texts = new Set<string>(ADL_TASKS.map((t) => t.query));
  const files = [
    'query/testdata/func-adl.test',
    ...readdirSync(`${REPO}test/func-adl/testdata`).map((f) => `test/func-adl/testdata/${f}`),
  ];
  for (const f of files) {
    for (const block of readFileSync(REPO + f, 'utf8').split(/\n\s*\n/)) {
      const lines = block.trim().split('\n');
      const end = lines.indexOf('----');
      if (end < 2) continue;
      texts.add(lines.slice(1, end).join('\n'));
    }
  }
  for (const t of [...texts]) {
    try {
      texts.add(planToQastle(parseQuery(t)));
    } catch {
      // a query of an error case: its func_adl text is in the corpus already
    }
  }
  return [...texts];
}

export const HAVE_SHARED = existsSync(ROOT_DATA);
