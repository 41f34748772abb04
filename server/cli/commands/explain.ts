/** `hepq explain 'QUERY' [FILE…]`: the plan of a query and what it will read, without running it. */
import type { Command } from '../command.js';
import query from './query.js';

const help = `usage: hepq explain 'QUERY' [FILE…] [--tree NAME] [--analyze] [--allow-url-prefix P]…

Print the logical plan of a func_adl or qastle query, the type of its result, the branches it reads (with
their compressed and decompressed sizes), the filters pushed into the scan, and where it will run (this thread
or worker threads, and why). Same as hepq query --explain. With --analyze the query also runs (on one
thread) and the rows reaching each stage, the selectivity of each Where, and the time spent reading and
decompressing versus in the compiled loop are printed.

examples:
  hepq explain "Where(lambda e: e.nMuon >= 2).Select(lambda e: e.Muon_pt)" nano.root
  hepq explain --analyze "Where(lambda e: e.nJet >= 2).Select(lambda e: e.MET_pt).Count()" nano.root
`;

const command: Command = {
  help,
  run: (argv, io) => query.run([...argv, '--explain'], io),
};

export default command;
