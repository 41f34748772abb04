/** A tiny logic-test format (DuckDB `.test` style): records of input text, `----`, expected output; regenerable. */
import { readFileSync, writeFileSync } from 'node:fs';

export interface LogicRecord {
  /** `query`, `error`, or any kind a runner defines (e.g. `qastle`, `rows`). */
  readonly kind: string;
  readonly title: string;
  readonly input: string;
  readonly expected: string;
}

/**
 * Records are separated by blank lines. Each starts with `<kind> <title>`, then the input lines, then a
 * line `----`, then the expected lines (up to the next blank line). Lines starting with `#` between records
 * are comments.
 */
export function readLogicFile(path: string): LogicRecord[] {
  const text = readFileSync(path, 'utf8');
  const records: LogicRecord[] = [];
  const blocks = text.split(/\n\s*\n/);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l, i) => !(i === 0 && l.startsWith('#')));
    while (lines.length && (lines[0]!.startsWith('#') || lines[0]!.trim() === '')) lines.shift();
    if (!lines.length) continue;
    const [head, ...rest] = lines;
    const sep = rest.indexOf('----');
    if (sep < 0) throw new Error(`${path}: record "${head}" has no ---- line`);
    const sp = head!.indexOf(' ');
    records.push({
      kind: sp < 0 ? head! : head!.slice(0, sp),
      title: sp < 0 ? '' : head!.slice(sp + 1),
      input: rest.slice(0, sep).join('\n'),
      expected: rest
        .slice(sep + 1)
        .join('\n')
        .replace(/\s+$/, ''),
    });
  }
  return records;
}

export function writeLogicFile(path: string, records: readonly LogicRecord[]): void {
  const body = records.map(
    (r) => `${r.kind}${r.title ? ` ${r.title}` : ''}\n${r.input}\n----\n${r.expected}`,
  );
  writeFileSync(path, `${body.join('\n\n')}\n`);
}

/** True when expectations should be regenerated (`HEPQ_UPDATE=1 npx vitest run …`). */
export function updating(): boolean {
  return process.env.HEPQ_UPDATE === '1';
}
