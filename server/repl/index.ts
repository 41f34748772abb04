/** The interactive REPL (`hepq repl`, `hepq FILE…`): drives a Session, renders tables and terminal histograms. */
export { columnTypeText, REPL_HELP } from './dot-commands.js';
export { isComplete, isSql, openBrackets } from './input.js';
export { Repl, type ReplOptions, runRepl } from './repl.js';
export { formatCell, renderCsv, renderJson, renderTable, tabulate } from './table.js';
