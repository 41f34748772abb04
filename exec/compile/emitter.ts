/** Accumulates generated JavaScript: indented lines, fresh names, late-filled declaration slots. */

export class Emitter {
  private readonly lines: (string | { slot: string[] })[] = [];
  private depth = 1;
  private counter = 0;
  /** Declarations placed before the event loop (scratch buffers, hoisted state), by name. */
  readonly prologue: string[] = [];

  /** A fresh variable name with a readable prefix. */
  fresh(prefix = 't'): string {
    return `${prefix}${this.counter++}`;
  }

  line(text: string): void {
    this.lines.push('  '.repeat(this.depth) + text);
  }

  /** Bind `code` to a fresh const (unless it is already a name or a literal) and return the name. */
  bind(code: string, prefix = 't'): string {
    if (/^[A-Za-z_$][\w$]*$/.test(code) || /^-?\d+(\.\d+)?(e[-+]?\d+)?$/.test(code)) return code;
    const v = this.fresh(prefix);
    this.line(`const ${v} = ${code};`);
    return v;
  }

  /** Emit `header {`, the body, and `}`. */
  block(header: string, body: () => void): void {
    this.line(`${header} {`);
    this.depth++;
    body();
    this.depth--;
    this.line('}');
  }

  /** Reserve a place for lines known only later (declarations of variables a loop body decides). */
  slot(): string[] {
    const s: string[] = [];
    this.lines.push({ slot: s });
    return s;
  }

  /** Indentation for lines put into a slot now. */
  indent(): string {
    return '  '.repeat(this.depth);
  }

  /** Replace, in the most recent line that ends with `suffix` alone (after indentation), that line's text. */
  replaceLast(suffix: string, replacement: string): void {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const l = this.lines[i];
      if (typeof l === 'string' && l.trim() === suffix) {
        this.lines[i] = l.replace(suffix, replacement);
        return;
      }
    }
  }

  text(): string {
    return this.lines.flatMap((l) => (typeof l === 'string' ? [l] : l.slot)).join('\n');
  }
}
