/**
 * HEP helpers as SQL macros over the scalar functions of the registry (see scalar-functions.ts), so SQL and
 * func_adl compute ΔR, masses and four-vectors with the same code. Objects are structs with fields
 * pt, eta, phi, mass (as the NanoAOD groups of `root()` and the nested Parquet layout have them).
 */
import { binMacrosSql, P4_FORMULAS as F, type Formula, printFormula } from '../../planner/ir/index.js';

const sql = (x: Formula) => printFormula(x, 'sql');
// The four-vector formulas func_adl's compiled loops and GPU kernels print too (planner/ir/formulas.ts). A
// float32 (REAL) input is made DOUBLE first where nothing else widens it: REAL × REAL stays REAL in DuckDB.
const [px, py, pz] = [F.px('o.pt', 'o.phi'), F.py('o.pt', 'o.phi'), F.pz('o.pt', 'o.eta')];
const M2 = F.m2('v.e', 'v.px', 'v.py', 'v.pz');

export const HEP_MACROS: readonly string[] = [
  // hepq's helpers live in their own schema, found through each connection's search path (main first), so a
  // user's script may define macros of the same names (its own hist_bin, delta_r) without a clash.
  'CREATE SCHEMA IF NOT EXISTS hepq',
  // root(file) reads the file's only or conventional tree, root(file, tree) the named one.
  "CREATE MACRO hepq.root(f) AS TABLE (SELECT * FROM hepq_root(f, '')), (f, t) AS TABLE (SELECT * FROM hepq_root(f, t))",
  // Δφ wrapped into [−π, π) and ΔR of two objects (structs with eta and phi): the shared formulas, in DOUBLE
  // (arithmetic, floor and sqrt only, which round alike everywhere: the same bits as func_adl's).
  `CREATE MACRO hepq.delta_phi(phi1, phi2) AS ${sql(F.wrapPhi('(phi1::DOUBLE - phi2::DOUBLE)'))}`,
  `CREATE MACRO hepq.delta_r(a, b) AS ${sql(F.deltaR('(a.eta::DOUBLE - b.eta::DOUBLE)', 'hepq.delta_phi(a.phi, b.phi)'))}`,
  // Invariant mass of two or three objects (structs with pt, eta, phi, mass) and the transverse mass: the
  // registry's scalar functions, not the formulas, because those call cos/sin/sinh, which DuckDB's libm and V8
  // round differently in the last bit for some values (4 of the sample's muon pairs): the JS functions keep SQL
  // bit for bit with func_adl.
  'CREATE MACRO hepq.inv_mass(a, b) AS InvariantMass2(a.pt, a.eta, a.phi, a.mass, b.pt, b.eta, b.phi, b.mass)',
  `CREATE MACRO hepq.inv_mass3(a, b, c) AS InvariantMass3(a.pt, a.eta, a.phi, a.mass, b.pt, b.eta, b.phi, b.mass,
     c.pt, c.eta, c.phi, c.mass)`,
  'CREATE MACRO hepq.transverse_mass(pt1, phi1, pt2, phi2) AS TransverseMass(pt1, phi1, pt2, phi2)',
  // Four-vectors: (pt, η, φ, m) → {px, py, pz, e}; sums; pt, η, φ and mass of a sum.
  `CREATE MACRO hepq.p4(o) AS {'px': ${sql(px)}, 'py': ${sql(py)}, 'pz': ${sql(pz)},
     'e': ${sql(F.energy(px, py, pz, 'o.mass::DOUBLE'))}}`,
  "CREATE MACRO hepq.p4_add(a, b) AS {'px': a.px + b.px, 'py': a.py + b.py, 'pz': a.pz + b.pz, 'e': a.e + b.e}",
  `CREATE MACRO hepq.p4_pt(v) AS ${sql(F.pt('v.px', 'v.py'))}`,
  `CREATE MACRO hepq.p4_eta(v) AS ${sql(F.eta('v.pz', F.pt('v.px', 'v.py')))}`,
  `CREATE MACRO hepq.p4_phi(v) AS ${sql(F.phi('v.px', 'v.py'))}`,
  `CREATE MACRO hepq.p4_mass(v) AS ${sql(F.mass(M2))}`,
  // Histogram binning exactly as func_adl's Hist and the GPU's fill (printed from planner/ir/binning.ts): the
  // bin from the scaled offset, then moved by one where rounding put it across an edge of linspace(lo, hi,
  // bins + 1); −1 below lo, bins at or above hi, NULL for NULL or NaN. hist_index_edges(x, edges) bins by a list
  // of increasing edges.
  ...Object.entries(binMacrosSql('hepq')).map(([head, body]) => `CREATE MACRO hepq.${head} AS ${body}`),
  // The centre of x's bin; under- and overflow are the centres of one more bin on either side.
  'CREATE MACRO hepq.hist_bin(x, lo, hi, bins) AS lo + (hepq.hist_index(x, lo, hi, bins) + 0.5) * (hi - lo) / bins',
];

/** Run on every connection: hepq's schema after the user's (main), so the user's names win. */
export const SEARCH_PATH = "SET search_path = 'main,hepq'";
