/** `hepq explain 'QUERY' [FILE…]`: the plan of a query and what it will read, without running it. */
import type { Command } from '../command.js';
import query from './query.js';

const help = `usage: hepq explain 'QUERY' [FILE…] [--tree NAME]

Print the logical plan of a func_adl or qastle query, the type of its result, the branches it reads (with
their compressed and decompressed sizes) and the filters pushed into the scan. Same as hepq query --explain.

example:
  hepq explain "Where(lambda e: e.nMuon >= 2).Select(lambda e: e.Muon_pt)" nano.root
`;

const command: Command = {
  help,
  run: (argv, io) => query.run([...argv, '--explain'], io),
};

export default command;
