/** `hepq repl [FILE…]` (and `hepq FILE…`): the interactive query prompt. */
import { parseArgs } from 'node:util';
import { REPL_HELP, runRepl } from '../../repl/index.js';
import type { Command } from '../command.js';

const help = `usage: hepq repl [FILE…] [--tree NAME]
       hepq FILE…            (the same: a REPL on those files)

An interactive prompt for func_adl queries over ROOT files, with history (kept in $HEPQ_HOME or ~/.hepq),
Tab completion of branch names, results as tables and histograms drawn in the terminal.

${REPL_HELP}

examples:
  hepq ../shared/conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root
  hepq repl nano.root --tree Events
`;

const command: Command = {
  help,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { tree: { type: 'string' } },
      allowPositionals: true,
    });
    return runRepl({ files: positionals, ...(values.tree ? { tree: values.tree } : {}) });
  },
};

export default command;
