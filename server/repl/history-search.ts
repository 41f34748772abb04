/**
 * Ctrl-R reverse incremental history search, as bash's and DuckDB's shells have it, over readline's history (the
 * persisted one, newest first): Ctrl-R starts it, typed characters narrow it, Ctrl-R again goes to an older match,
 * Backspace widens it, Enter runs the match, Ctrl-G or Ctrl-C gives the line back as it was, and any other
 * editing key (arrows, Ctrl-A/E, Tab, Esc) leaves the match on the line to edit. Node's readline has no such
 * search: this wraps the interface's key handler (`_ttyWrite`), as Node's own REPL does for its search.
 */
import type { Interface } from 'node:readline';

interface Key {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  sequence?: string;
}

/** The parts of readline's Interface the search drives (public in practice, private in the types). */
interface LineEditor {
  line: string;
  cursor: number;
  history: string[];
  _ttyWrite(s: string | undefined, key: Key | undefined): void;
  _refreshLine(): void;
  setPrompt(p: string): void;
}

export const SEARCH_PROMPT = '(reverse-i-search)';

/** Install the search on a terminal readline; `prompt()` gives the prompt to return to ('hepq> ', '   ...> '). */
export function installHistorySearch(rl: Interface, prompt: () => string): void {
  const ed = rl as unknown as LineEditor;
  const normal = ed._ttyWrite.bind(ed);
  let active = false;
  let query = '';
  let index = -1; // the match's position in the history (newest first), -1 when none
  let saved = { line: '', cursor: 0 };

  const show = (failed: boolean) => {
    const match = index >= 0 ? ed.history[index]! : saved.line;
    ed.setPrompt(`${failed ? '(failed reverse-i-search)' : SEARCH_PROMPT}\`${query}': `);
    ed.line = match;
    const at = index >= 0 ? match.indexOf(query) : -1;
    ed.cursor = at >= 0 ? at : match.length;
    ed._refreshLine();
  };
  /** The newest entry from `start` on that contains the query; stays put (failing) when there is none. */
  const search = (start: number) => {
    if (!query) {
      index = -1;
      show(false);
      return;
    }
    for (let i = Math.max(0, start); i < ed.history.length; i++) {
      if (ed.history[i]!.includes(query)) {
        index = i;
        show(false);
        return;
      }
    }
    show(true);
  };
  const leave = (line: string, cursor: number) => {
    active = false;
    ed.setPrompt(prompt());
    ed.line = line;
    ed.cursor = cursor;
    ed._refreshLine();
  };

  ed._ttyWrite = (s, key) => {
    const k = key ?? {};
    if (!active) {
      if (k.ctrl && k.name === 'r') {
        active = true;
        query = '';
        index = -1;
        saved = { line: ed.line, cursor: ed.cursor };
        show(false);
        return;
      }
      normal(s, key);
      return;
    }
    if (k.ctrl && k.name === 'r') {
      search(index + 1);
      return;
    }
    if (k.ctrl && (k.name === 'g' || k.name === 'c')) {
      leave(saved.line, saved.cursor);
      return;
    }
    if (k.name === 'backspace') {
      query = query.slice(0, -1);
      search(0);
      return;
    }
    if (s && !k.ctrl && !k.meta && s.length === 1 && s >= ' ' && k.name !== 'escape') {
      query += s;
      search(index);
      return;
    }
    // Enter runs the match; any other key leaves it on the line and acts on it (Esc only leaves).
    const line = index >= 0 ? ed.history[index]! : saved.line;
    leave(line, index >= 0 ? Math.max(0, line.indexOf(query)) : saved.cursor);
    if (k.name !== 'escape') normal(s, key);
  };
}
