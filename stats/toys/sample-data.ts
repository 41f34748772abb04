/** Pseudo-experiments: main counts ~ Poisson(λ(θ)), auxiliary data ~ their constraint distributions at θ (as pyhf samples). */
import type { HistFactoryModel, ModelData } from '../model/histfactory-model.js';
import type { Rng } from './random.js';

/** A sampler of toy datasets at fixed parameters θ. */
export class ToySampler {
  private readonly lam: Float64Array;
  private readonly auxMean: Float64Array;
  private readonly poisson: Uint8Array;
  private readonly scale: Float64Array;

  constructor(model: HistFactoryModel, theta: Float64Array) {
    this.lam = model.expectedMain(theta);
    this.auxMean = model.expectedAux(theta);
    const c = model.constraints();
    this.poisson = c.poisson;
    this.scale = c.scale;
  }

  sample(rng: Rng): ModelData {
    const main = new Float64Array(this.lam.length);
    for (let b = 0; b < main.length; b++) main[b] = rng.poisson(this.lam[b]!);
    const aux = new Float64Array(this.auxMean.length);
    for (let j = 0; j < aux.length; j++)
      aux[j] = this.poisson[j]
        ? rng.poisson(this.auxMean[j]!)
        : this.auxMean[j]! + this.scale[j]! * rng.normal();
    return { main, aux };
  }
}
