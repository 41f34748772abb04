/** Loads the shared pyhf reference cases (workspace, patch, expected results) for the stats tests. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadWorkspace, Patchset, type Workspace } from '../../stats/index.js';

export const STATS_DIR = new URL('../../../shared/data/stats/', import.meta.url).pathname;
export const HAVE_DATA = existsSync(`${STATS_DIR}expected`);
if (!HAVE_DATA)
  console.warn(`\n*** stats reference data not found at ${STATS_DIR}: skipping reference comparisons ***\n`);

// biome-ignore lint/suspicious/noExplicitAny: the expected files are free-form JSON
export type Expected = any;

export function caseNames(): string[] {
  return HAVE_DATA
    ? readdirSync(`${STATS_DIR}expected`)
        .map((f) => f.replace(/\.json$/, ''))
        .sort()
    : [];
}

export function expected(name: string): Expected {
  return JSON.parse(readFileSync(`${STATS_DIR}expected/${name}.json`, 'utf8'));
}

/** The workspace of a case with its patch applied, and the model/data as the reference built them. */
export function loadCase(name: string) {
  const exp = expected(name);
  let ws: Workspace = loadWorkspace(`${STATS_DIR}${exp.workspace_file}`);
  if (exp.patch?.jsonpatch)
    ws = ws.patch(JSON.parse(readFileSync(`${STATS_DIR}${exp.patch.jsonpatch}`, 'utf8')));
  if (exp.patch?.patchset)
    ws = Patchset.fromFile(`${STATS_DIR}${exp.patch.patchset}`).apply(ws, exp.patch.patch_name);
  const model = ws.model({ measurement: exp.measurement, poi: exp.poi ?? '' });
  const data = ws.data(model);
  return { exp, ws, model, data };
}

/** |a − b| within rel·|b| or abs, whichever is larger. */
export function close(a: number, b: number, rel: number, abs = 0): boolean {
  return Math.abs(a - b) <= Math.max(rel * Math.abs(b), abs);
}
