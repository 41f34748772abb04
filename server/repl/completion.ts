/** Tab completion: dot-commands, branch/collection names of the open files, func_adl operators and functions. */
import { COLLECTION_OPS } from '../../planner/ir/index.js';

export const DOT_COMMANDS = [
  '.open',
  '.schema',
  '.param',
  '.fileset',
  '.explain',
  '.timer',
  '.format',
  '.output',
  '.hist',
  '.plot',
  '.save',
  '.load',
  '.help',
  '.exit',
  '.quit',
  '.q',
  '.tables',
  '.maxrows',
  '.read',
  '.mode',
] as const;

/** func_adl's operators (every one the operator vocabulary defines) and the words of a lambda, as users type them. */
export const OPERATORS: readonly string[] = [
  ...new Set([
    ...COLLECTION_OPS,
    'Hist',
    'Contains',
    'EventDataset',
    'lambda',
    'and',
    'or',
    'not',
    'in',
    'abs',
    'sqrt',
    'bins=',
    'range=',
  ]),
];

const SQL_WORDS = ['SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'LIMIT', 'COUNT', 'UNNEST', 'AS'];

export interface CompletionSource {
  /** branch names of the open files */
  names(): readonly string[];
  /** registered scalar function names */
  functions(): readonly string[];
  /** saved query names (for `.load`) */
  saved(): readonly string[];
}

/** Collection names: the prefixes `Muon` of `Muon_pt`, `Muon_eta`, … (NanoAOD's flat naming) and struct paths. */
export function collections(names: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const n of names) {
    const m = /^([A-Za-z][A-Za-z0-9]*)[_./]/.exec(n);
    if (m) count.set(m[1]!, (count.get(m[1]!) ?? 0) + 1);
  }
  return [...count].filter(([, c]) => c >= 2).map(([k]) => k);
}

/** readline's completer: the candidates for the word before the cursor, and that word. */
export function complete(line: string, src: CompletionSource): [string[], string] {
  const trimmed = line.trimStart();
  if (/^\.[A-Z]\w*$/.test(trimmed)) {
    // the start of a continuation line: `.Sel` → `.Select`
    const word = trimmed.slice(1);
    return [OPERATORS.filter((o) => /^[A-Z]/.test(o) && o.startsWith(word)), word];
  }
  if (trimmed.startsWith('.') && !/\s/.test(trimmed)) {
    const hits = DOT_COMMANDS.filter((c) => c.startsWith(trimmed));
    return [hits.length ? [...hits] : [...DOT_COMMANDS], trimmed];
  }
  if (/^\.load\s+\S*$/.test(trimmed)) {
    const word = trimmed.split(/\s+/)[1] ?? '';
    return [src.saved().filter((s) => s.startsWith(word)), word];
  }
  if (/^\.(format|mode)\s+\S*$/.test(trimmed)) {
    const word = trimmed.split(/\s+/)[1] ?? '';
    return [['table', 'json', 'csv'].filter((s) => s.startsWith(word)), word];
  }
  if (/^\.timer\s+\S*$/.test(trimmed)) {
    const word = trimmed.split(/\s+/)[1] ?? '';
    return [['on', 'off'].filter((s) => s.startsWith(word)), word];
  }
  const m = /[A-Za-z_][A-Za-z0-9_]*$/.exec(line);
  const word = m ? m[0] : '';
  const afterDot = line[line.length - word.length - 1] === '.';
  // `e.Muon.` with nothing typed yet offers the collection's members; elsewhere an empty word offers nothing
  if (!word && !afterDot) return [[], ''];
  const names = src.names();
  const colls = collections(names);
  const methods = OPERATORS.filter((o) => /^[A-Z]/.test(o));
  let pool: string[];
  if (!afterDot) pool = [...OPERATORS, ...src.functions(), ...SQL_WORDS, ...names];
  else {
    // `e.Muon.p…` → the members of Muon; `m.p…` (a lambda's element) → the members of any collection
    const before = /([A-Za-z_][A-Za-z0-9_]*)\.[A-Za-z0-9_]*$/.exec(line)?.[1] ?? '';
    const members = (c: string) =>
      names.filter((n) => n.startsWith(`${c}_`)).map((n) => n.slice(c.length + 1));
    if (colls.includes(before)) pool = [...members(before), ...methods];
    else pool = [...names, ...colls, ...colls.flatMap(members), ...methods];
  }
  const hits = [...new Set(pool.filter((p) => p.startsWith(word)))].sort();
  return [hits, word];
}
