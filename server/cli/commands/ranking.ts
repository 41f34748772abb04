/** `hepq ranking WS.json`: nuisance parameters ranked by their impact on the POI (pre- and post-fit), with pulls. */
import { parseArgs } from 'node:util';
import { ranking } from '../../../stats/index.js';
import type { Command } from '../command.js';
import { buildModel, numberOption, STATS_OPTIONS, STATS_OPTIONS_HELP, statsInputs } from './stats-input.js';

const help = `usage: hepq ranking WS.json [--patch FILE [--patch-name NAME]] [--top N] [--json]

Fits the workspace, then for each nuisance parameter fixes it at its best fit ± its post-fit uncertainty (and ± its
pre-fit width, for constrained ones), refits, and reports the shift of the POI's best fit. Sorted by impact.

options:
${STATS_OPTIONS_HELP}
  --top N                show the N highest-ranked parameters (default 20; 0 for all)

examples:
  hepq ranking RegionA/BkgOnly.json -p RegionA/patch.sbottom_1300_205_60.json --top 10
`;

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...STATS_OPTIONS, top: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      io.err(`hepq ranking: expected one WS.json\n\n${help}`);
      return 2;
    }
    const [input] = statsInputs(positionals[0]!, values);
    const { model, data } = buildModel(input!.ws, values);
    const r = ranking(model, data);
    const top = numberOption('top', values.top, 20);
    const rows = top > 0 ? r.rows.slice(0, top) : r.rows;
    if (values.json) {
      const num = (x: number) => (Number.isFinite(x) ? x : null);
      io.out(
        `${JSON.stringify({
          poi: r.poi,
          poi_hat: r.poiHat,
          poi_error: r.poiError,
          parameters: rows.map((x) => ({
            name: x.name,
            bestfit: x.bestfit,
            error: x.error,
            pull: num(x.pull),
            impact_postfit: [x.postfitUp, x.postfitDown],
            impact_prefit: [num(x.prefitUp), num(x.prefitDown)],
          })),
        })}\n`,
      );
      return 0;
    }
    io.out(`${r.poi} = ${r.poiHat.toPrecision(6)} ± ${r.poiError.toPrecision(4)}\n`);
    const w = Math.max(...rows.map((x) => x.name.length), 9);
    io.out(
      `  ${'parameter'.padEnd(w)}  ${'pull'.padStart(7)}  ${'post-fit Δμ (+/−)'.padStart(22)}  ${'pre-fit Δμ (+/−)'.padStart(22)}\n`,
    );
    const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4).padStart(10) : '—'.padStart(10));
    for (const x of rows)
      io.out(
        `  ${x.name.padEnd(w)}  ${Number.isFinite(x.pull) ? x.pull.toFixed(2).padStart(7) : '—'.padStart(7)}  ${f(x.postfitUp)} ${f(x.postfitDown)}  ${f(x.prefitUp)} ${f(x.prefitDown)}\n`,
      );
    return 0;
  },
};

export default command;
