/** The REPL's files in the user's hepq folder: the persistent line history and the saved queries. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** `$HEPQ_HOME`, else `~/.hepq`. */
export function hepqHome(): string {
  return process.env.HEPQ_HOME ?? join(homedir(), '.hepq');
}

/** History lines, newest first (readline's order); a missing or unreadable file is an empty history. */
export function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse();
  } catch {
    return [];
  }
}

export function saveHistory(file: string, newestFirst: readonly string[]): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${[...newestFirst].reverse().join('\n')}\n`);
  } catch {
    // history is a convenience: a read-only home must not break the REPL
  }
}

/** Named queries kept across sessions (`.save NAME`, `.load NAME`). */
export class SavedQueries {
  constructor(readonly file: string) {}

  all(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8'));
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  names(): string[] {
    return Object.keys(this.all()).sort();
  }

  get(name: string): string | undefined {
    return this.all()[name];
  }

  set(name: string, query: string): void {
    const all = this.all();
    all[name] = query;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(all, null, 1)}\n`);
  }
}
