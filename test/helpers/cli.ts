/** Run the `hepq` command line in this process, capturing its output (the CLI's own `main`, not a child). */
import { main } from '../../server/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io = {
    out: (t: string) => {
      out += t;
    },
    err: (t: string) => {
      err += t;
    },
  };
  const code = await main(argv, io);
  return { code, out, err };
}
