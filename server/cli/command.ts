/** The shape of a CLI subcommand and the output streams it writes to (so tests can capture them). */

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  /** Full help text, with usage and examples. */
  readonly help: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** An entry of the command table: loaded lazily so `hepq --help` starts fast. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};
