/** Shell-style name patterns (`Muon_*`, `run?.root`) as regular expressions: the one converter every command uses. */

/** Whether `s` holds a pattern character (`*` or `?`). */
export function isGlob(s: string): boolean {
  return /[*?]/.test(s);
}

/**
 * `pattern` as a RegExp over a whole name: `*` any run of characters, `?` one character, everything else itself.
 * In a path segment (`slashes: false`, the default) neither crosses a `/`; branch names may hold `/`
 * (`evt/I32`), so their patterns pass `slashes: true`.
 */
export function globRegExp(
  pattern: string,
  options: { slashes?: boolean; ignoreCase?: boolean } = {},
): RegExp {
  const any = options.slashes ? '.' : '[^/]';
  let re = '';
  for (const ch of pattern) {
    if (ch === '*') re += `${any}*`;
    else if (ch === '?') re += any;
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, options.ignoreCase ? 'i' : '');
}
