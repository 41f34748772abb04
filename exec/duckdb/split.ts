/**
 * A script cut into statement texts at top-level semicolons (outside quotes, comments and $$ strings), so
 * each statement can be prepared with its own error message. DuckDB's parser still decides what a
 * statement is: the engine checks that its statement count agrees.
 */
export interface StatementText {
  readonly text: string;
  /** Offset of the statement in the script. */
  readonly start: number;
}

export function splitStatements(sql: string): StatementText[] {
  const out: StatementText[] = [];
  let start = 0;
  let content = false;
  const push = (end: number) => {
    if (content) out.push({ text: sql.slice(start, end), start });
    start = end + 1;
    content = false;
  };
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (c === ';') {
      push(i);
      continue;
    }
    if (!/\s/.test(c)) content = true;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      i = j;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? sql.length : end + tag.length - 1;
      }
    }
  }
  push(sql.length);
  return out;
}
