/** Grammar-aware mutations of real func_adl and qastle queries: token edits, hostile literals, deep nesting, long names. */
import type { Rng } from './rng.js';

/** func_adl / qastle tokens: strings, numbers, names, and operators (everything else is one character). */
const TOKEN = /'[^']*'|"[^"]*"|\d+(?:\.\d*)?(?:e[+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|\*\*|\/\/|[<>=!]=|\s+|./g;

function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

const HOSTILE_NUMBERS = [
  '-1',
  '0',
  '1e20',
  '1e308',
  '1e309',
  '-0',
  '9007199254740993',
  '0.5',
  '2147483648',
  '-2147483649',
];
const OPERATORS = [
  '+',
  '-',
  '*',
  '/',
  '//',
  '%',
  '**',
  '<',
  '>=',
  '==',
  ' and ',
  ' or ',
  ' not ',
  '.',
  ',',
  ':',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
];
const OPERATIONS = [
  'Select',
  'Where',
  'SelectMany',
  'Take',
  'Skip',
  'Count',
  'Sum',
  'Max',
  'Min',
  'First',
  'OrderBy',
  'Choose',
  'Zip',
  'Concat',
  'Any',
  'All',
];

/** A mutated query: a few token-level edits, or one structural attack (deep nesting, huge literals, long names). */
export function mutateQuery(rng: Rng, base: string, corpus: readonly string[]): string {
  const qastle = base.trimStart().startsWith('(');
  const r = rng.next();
  if (r < 0.12) return deepNesting(rng, qastle);
  if (r < 0.2) return arithmeticTrap(rng, base, qastle);
  if (r < 0.25) return longName(rng, base);
  const toks = tokens(base);
  const edits = rng.range(1, 3);
  for (let i = 0; i < edits && toks.length; i++) {
    const at = rng.int(toks.length);
    const kind = rng.next();
    if (kind < 0.2) toks.splice(at, 1);
    else if (kind < 0.35) toks.splice(at, 0, toks[at]!);
    else if (kind < 0.55 && /^\d/.test(toks[at]!)) toks[at] = rng.pick(HOSTILE_NUMBERS);
    else if (kind < 0.7) toks.splice(at, 0, rng.pick(OPERATORS));
    else if (kind < 0.8 && /^[A-Z]/.test(toks[at]!)) toks[at] = rng.pick(OPERATIONS);
    else {
      // a token from another query of the corpus (names, operators and literals that mean something)
      const other = tokens(rng.pick(corpus));
      if (other.length) toks[at] = rng.pick(other);
    }
  }
  return toks.join('');
}

const DEPTHS = [20, 60, 120, 300, 700, 2000, 10000];

/** Nest one construct N deep: brackets, parentheses, unary minus, lambda chains, method chains, qastle calls. */
function deepNesting(rng: Rng, qastle: boolean): string {
  const n = rng.pick(DEPTHS);
  if (qastle) {
    const shape = rng.int(3);
    if (shape === 0)
      return `(Select (call EventDataset 'f.root') (lambda (list e) ${'(- '.repeat(n)}(attr e 'MET_pt')${')'.repeat(n)}))`;
    if (shape === 1)
      return `${'(Select '.repeat(n)}(call EventDataset 'f.root')${' (lambda (list e) e))'.repeat(n)}`;
    return `(Select (call EventDataset 'f.root') (lambda (list e) ${'(list '.repeat(n)}1${')'.repeat(n)}))`;
  }
  const shape = rng.int(6);
  switch (shape) {
    case 0:
      return `ds.Select(lambda e: ${'['.repeat(n)}e.MET_pt${']'.repeat(n)})`;
    case 1:
      return `ds.Select(lambda e: ${'('.repeat(n)}e.MET_pt${')'.repeat(n)})`;
    case 2:
      return `ds.Select(lambda e: ${'-'.repeat(n)}e.MET_pt)`;
    case 3:
      return `ds${'.Select(lambda e: e)'.repeat(n)}.Select(lambda e: e.MET_pt)`;
    case 4:
      return `ds.Select(lambda e: ${Array.from({ length: n }, () => 'e.MET_pt').join(' + ')})`;
    default:
      return `ds.Select(lambda e: e.Jet_pt${'.Where(lambda j: j > 1)'.repeat(Math.min(n, 3000))}.Count())`;
  }
}

/** Take/Skip with hostile counts, and integer division or modulo by zero. */
function arithmeticTrap(rng: Rng, base: string, qastle: boolean): string {
  if (qastle)
    return rng.pick([
      "(Take (call EventDataset 'f.root') -1)",
      "(Select (call EventDataset 'f.root') (lambda (list e) (// (attr e 'nMuon') 0)))",
      "(Select (call EventDataset 'f.root') (lambda (list e) (% (attr e 'nJet') 0)))",
    ]);
  return rng.pick([
    `${base}.Take(${rng.pick(HOSTILE_NUMBERS)})`,
    `${base}.Skip(${rng.pick(HOSTILE_NUMBERS)})`,
    'ds.Select(lambda e: e.nMuon // 0)',
    'ds.Select(lambda e: e.nJet % 0)',
    'ds.Select(lambda e: e.Muon_charge.Select(lambda q: q // (q - q)))',
    'ds.Select(lambda e: e.MET_pt / 0)',
    `ds.Select(lambda e: e.nMuon ** ${rng.pick(HOSTILE_NUMBERS)})`,
  ]);
}

function longName(rng: Rng, base: string): string {
  const name = 'x'.repeat(rng.pick([300, 5000, 100000]));
  return rng.chance(0.5) ? `ds.Select(lambda e: e.${name})` : base.replace(/lambda (\w+)/, `lambda ${name}`);
}
