/** `hepq fit WS.json`: maximum-likelihood fit of a HistFactory workspace, with Hessian uncertainties. */
import { parseArgs } from 'node:util';
import { HepqError } from '../../../exec/batch/index.js';
import { fitModel, uncertainties } from '../../../stats/index.js';
import type { Command } from '../command.js';
import { buildModel, STATS_OPTIONS, STATS_OPTIONS_HELP, statsInputs } from './stats-input.js';

const help = `usage: hepq fit WS.json [--patch FILE [--patch-name NAME]] [--json]

Maximum-likelihood fit of a HistFactory workspace (pyhf JSON), all parameters free within their bounds
(fixed ones stay fixed). Prints twice the negative log-likelihood at the minimum and each parameter's best-fit
value and uncertainty (from the Hessian at the minimum).

options:
${STATS_OPTIONS_HELP}
  --fix-poi MU           fit with the POI fixed at MU

examples:
  hepq fit ../shared/data/stats/workspaces/pyhf_examples/2-bin_1-channel.json
  hepq fit BkgOnly.json --patch patchset.json --patch-name ERJR_150p0_50p0 --json
`;

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...STATS_OPTIONS, 'fix-poi': { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      io.err(`hepq fit: expected one WS.json\n\n${help}`);
      return 2;
    }
    const [input] = statsInputs(positionals[0]!, values);
    let built: ReturnType<typeof buildModel>;
    try {
      built = buildModel(input!.ws, values);
    } catch (e) {
      // a background-only workspace often names the POI of its signal patches: fit it without a POI
      if (!(e instanceof HepqError && e.code === 'stats/poi-missing') || values.poi) throw e;
      io.err(`hepq fit: ${e.message}; fitting without a POI\n`);
      built = buildModel(input!.ws, { ...values, poi: '' });
    }
    const { model, data } = built;
    const poiValue = values['fix-poi'] !== undefined ? Number(values['fix-poi']) : undefined;
    const r = fitModel(model, data, { poiValue });
    const errors = uncertainties(model, data, r).errors;
    const parameters = model.parLabels.map((name, i) => ({ name, value: r.x[i]!, error: errors[i]! }));
    if (values.json) {
      io.out(`${JSON.stringify({ twice_nll: r.twiceNll, converged: r.converged, parameters })}\n`);
    } else {
      io.out(`twice_nll = ${r.twiceNll}${r.converged ? '' : `  (NOT CONVERGED: ${r.message})`}\n`);
      const w = Math.max(...parameters.map((p) => p.name.length), 4);
      for (const p of parameters)
        io.out(`  ${p.name.padEnd(w)}  ${p.value.toPrecision(8).padStart(14)} ± ${p.error.toPrecision(4)}\n`);
    }
    return r.converged ? 0 : 1;
  },
};

export default command;
