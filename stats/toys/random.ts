/** The toys draw from hepq's one seeded generator (sfc32, 53-bit uniforms, normal and Poisson samplers). */
export { Rng } from '../../exec/core/index.js';
