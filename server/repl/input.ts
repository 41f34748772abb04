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
