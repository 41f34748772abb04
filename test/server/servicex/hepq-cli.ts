/** Runs the real `hepq` command line from source (tests spawn it as a separate process: `node --import tsx`). */
import { main } from '../../../server/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
