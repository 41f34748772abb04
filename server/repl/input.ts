/** Deciding when typed input is a whole statement: brackets closed and strings ended (a query may span lines). */

/** Unclosed brackets of `text` ('' when balanced), ignoring brackets inside '…' and "…" strings and # comments. */
export function openBrackets(text: string): string {
  const stack: string[] = [];
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
    } else if (c === '(' || c === '[' || c === '{') stack.push(c);
    else if (c === ')' || c === ']' || c === '}') {
      const want = c === ')' ? '(' : c === ']' ? '[' : '{';
      if (stack.at(-1) === want) stack.pop();
      else return ''; // a stray closer: let the parser report it with a caret
    }
  }
  return quote ? `${stack.join('')}${quote}` : stack.join('');
}

/**
 * Whether the statement typed so far is complete: a dot-command, a func_adl query whose brackets and strings
 * closed, or SQL ending in ';' (or followed by an empty line), as SQL shells do.
 */
export function isComplete(text: string): boolean {
  const t = text.trim();
  if (t === '' || t.startsWith('.')) return true;
  if (t.endsWith('\\')) return false;
  if (openBrackets(t) !== '') return false;
  return !isSql(t) || t.endsWith(';') || /\n\s*$/.test(text);
}

/** SQL starts with one of its statement words and a space; everything else is func_adl (or qastle). */
export function isSql(text: string): boolean {
  return /^\s*(select|with|from|describe|show|explain|summarize|create|drop|pragma|set)\s/i.test(text);
}

/** A line that continues a func_adl query: a method call such as `.Select(…)` or `.Where(…)`, not a dot-command. */
export function isContinuation(line: string): boolean {
  return /^\s*\.[A-Z]\w*\s*\(/.test(line);
}

/**
 * A func_adl statement that names only where the events come from (`EventDataset('f.root')`,
 * `FuncADLQueryPHYSLITE()`): its operators follow on the next lines, so it waits for them (an empty line runs it).
 */
export function awaitsOperators(text: string): boolean {
  const t = unwrapParens(text).trim();
  const m = /^([A-Za-z_]\w*)\s*\(([^()]*)\)$/.exec(t);
  return m !== null && !/^(Select|SelectMany|Where|Count|Sum|Min|Max|First|Hist|Take)$/.test(m[1]!);
}

/**
 * `( EventDataset(…)\n .Select(…) )` — a func_adl query in the outer brackets a Python user wraps a multi-line
 * query in — without those brackets. Qastle (`(call …)`, `(Select …)`) and anything else is returned unchanged.
 */
export function unwrapParens(text: string): string {
  const t = text.trim();
  if (!t.startsWith('(') || !t.endsWith(')') || /^\(\s*[A-Za-z_]\w*\s/.test(t)) return text;
  let depth = 0;
  let quote = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i === t.length - 1 ? t.slice(1, -1).trim() : text;
  }
  return text;
}

/** A line that ends a query: a continuation whose last call is an aggregate or `.Hist(…)`. */
export function endsQuery(line: string): boolean {
  return (
    isContinuation(line) && /\.(Count|Sum|Min|Max|First|Any|All|Hist|Mean)\s*\([\s\S]*\)\s*\)?\s*$/.test(line)
  );
}

/**
 * Whether a statement begun with a bare dataset line (`EventDataset('f.root')`, then `.Where(…)` lines) waits for
 * more: until a line ends it with an aggregate or `.Hist(…)`, or an empty line runs it as typed.
 */
export function awaitsMore(text: string, lastLine: string): boolean {
  if (lastLine.trim() === '') return false;
  const first = unwrapParens(text).trim().split('\n')[0]!;
  return awaitsOperators(first) && !endsQuery(lastLine);
}
