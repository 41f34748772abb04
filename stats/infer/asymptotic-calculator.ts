/**
 * Asymptotic CLs (Cowan, Cranmer, Gross, Vitells, arXiv:1007.1727) with Asimov data, following pyhf's calculator:
 * observed CLs+b, CLb, CLs and the expected band at −2σ…+2σ. Fits that do not depend on μ are cached.
 */

import { HepqError } from '../../exec/batch/index.js';
import { normalCdf, normalLogCdf } from '../math/special.js';
import type { HistFactoryModel, ModelData } from '../model/histfactory-model.js';
import { type FitResult, fitModel } from './fit.js';
import { type FitSettings, requirePoi, type TestStatName, testStatistic } from './test-statistics.js';

/** Which test statistic drives the calculator: q̃μ (default), qμ, or q0 for discovery. */
export type CalcTestStat = 'qtilde' | 'q' | 'q0';

export interface HypotestResult {
  readonly mu: number;
  readonly testStat: CalcTestStat;
  /** the observed test statistic (qμ, q̃μ or q0) */
  readonly qObs: number;
  /** the test statistic on Asimov data */
  readonly qAsimov: number;
  readonly clsbObs: number;
  readonly clbObs: number;
  readonly clsObs: number;
  /** expected CLs at −2σ, −1σ, median, +1σ, +2σ (for q0: the expected p0 values) */
  readonly clsExp: readonly number[];
  /** log10 of CLs, observed and expected: finite where CLs itself underflows to 0 (far beyond exclusion). */
  readonly log10ClsObs?: number;
  readonly log10ClsExp?: readonly number[];
  readonly clsbExp: readonly number[];
  readonly clbExp: readonly number[];
  /** every fit behind these numbers converged */
  readonly converged: boolean;
  /** the fits that did not converge, each named with the optimiser's reason (absent when all did) */
  readonly failures?: readonly string[];
}

const BAND = [2, 1, 0, -1, -2];

export class AsymptoticCalculator {
  private freeObs?: FitResult;
  private asimov?: ModelData;
  private freeAsimov?: FitResult;
  private readonly statName: TestStatName;

  constructor(
    readonly model: HistFactoryModel,
    readonly data: ModelData,
    readonly testStat: CalcTestStat = 'qtilde',
    readonly settings: FitSettings = {},
  ) {
    requirePoi(model);
    this.statName = testStat === 'qtilde' ? 'qmu_tilde' : testStat === 'q' ? 'qmu' : 'q0';
  }

  /** Asimov data: the expected data at the best fit with the POI fixed at 0 (q, q̃) or 1 (q0). */
  asimovData(): ModelData {
    if (!this.asimov) {
      const b = fitModel(this.model, this.data, {
        ...this.settings,
        poiValue: this.testStat === 'q0' ? 1 : 0,
      });
      this.asimov = this.model.expectedData(b.x);
      this.asimovConverged = b.converged;
      this.asimovMessage = b.message;
    }
    return this.asimov;
  }
  private asimovConverged = true;
  private asimovMessage = '';

  hypotest(mu: number): HypotestResult {
    if (this.testStat === 'q0') mu = 0;
    const obs = testStatistic(this.statName, mu, this.model, this.data, this.settings, this.freeObs);
    this.freeObs = obs.free;
    const asimov = this.asimovData();
    const asi = testStatistic(this.statName, mu, this.model, asimov, this.settings, this.freeAsimov);
    this.freeAsimov = asi.free;
    const q = obs.value;
    const qA = asi.value;
    const sq = Math.sqrt(q);
    const sqA = Math.sqrt(qA);
    let t: number;
    if (this.testStat === 'qtilde' && sq >= sqA && sqA > 0) t = (q - qA) / (2 * sqA);
    else t = sq - sqA;
    if (
      Number.isNaN(q) ||
      Number.isNaN(qA) ||
      q === Number.POSITIVE_INFINITY ||
      qA === Number.POSITIVE_INFINITY
    )
      throw new HepqError(
        'stats/not-finite',
        `the test statistic at mu = ${mu} is ${q} (observed) and ${qA} (Asimov): no CLs can be computed`,
        {
          hint: 'a fit failed or the data are outside what the model can describe; check the observations and bounds',
        },
      );
    const pvals = (v: number) => {
      const clsb = normalCdf(-(v + sqA));
      const clb = normalCdf(-v);
      // Far in the tails both p-values underflow (0/0): their ratio is taken in logs, where it is still finite.
      const logCls = normalLogCdf(-(v + sqA)) - normalLogCdf(-v);
      return {
        clsb,
        clb,
        cls: clsb > 0 && clb > 0 ? clsb / clb : Math.exp(logCls),
        log10Cls: logCls / Math.LN10,
      };
    };
    const o = pvals(t);
    const exp = BAND.map(pvals);
    const fits: [string, { converged: boolean; message: string }][] = [
      ['the free fit to the data', obs.free],
      [`the fit to the data with μ fixed at ${mu}`, obs.conditional],
      ['the free fit to the Asimov data', asi.free],
      [`the fit to the Asimov data with μ fixed at ${mu}`, asi.conditional],
      [
        `the fit with μ fixed at ${this.testStat === 'q0' ? 1 : 0} that makes the Asimov data`,
        { converged: this.asimovConverged, message: this.asimovMessage },
      ],
    ];
    const failures = fits.filter(([, f]) => !f.converged).map(([name, f]) => `${name} (${f.message})`);
    const converged = failures.length === 0;
    return {
      mu,
      testStat: this.testStat,
      qObs: q,
      qAsimov: qA,
      clsbObs: o.clsb,
      clbObs: o.clb,
      clsObs: o.cls,
      clsExp: exp.map((e) => (this.testStat === 'q0' ? e.clsb : e.cls)),
      ...(this.testStat === 'q0' ? {} : { log10ClsObs: o.log10Cls, log10ClsExp: exp.map((e) => e.log10Cls) }),
      clsbExp: exp.map((e) => e.clsb),
      clbExp: exp.map((e) => e.clb),
      converged,
      ...(converged ? {} : { failures }),
    };
  }
}

/** One asymptotic hypothesis test at POI value `mu` (pyhf's `hypotest` with calctype 'asymptotics'). */
export function hypotest(
  mu: number,
  model: HistFactoryModel,
  data: ModelData,
  options: { testStat?: CalcTestStat } & FitSettings = {},
): HypotestResult {
  const { testStat, ...settings } = options;
  return new AsymptoticCalculator(model, data, testStat ?? 'qtilde', settings).hypotest(mu);
}

/** Discovery: observed and expected p0 and significance from q0. */
export function discovery(model: HistFactoryModel, data: ModelData, settings: FitSettings = {}) {
  const r = new AsymptoticCalculator(model, data, 'q0', settings).hypotest(0);
  return {
    q0: r.qObs,
    p0Obs: r.clsbObs,
    p0Exp: r.clsExp,
    significanceObs: Math.sqrt(r.qObs),
    significanceExp: Math.sqrt(r.qAsimov),
    converged: r.converged,
  };
}
