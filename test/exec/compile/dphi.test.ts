/**
 * The compiled loops' Δφ (`H.dphi`, printed from the shared wrapPhi formula in planner/ir/formulas.ts) on
 * hand-derived values: wrapped into [−π, π), π itself to −π, −π kept, several turns, NaN through.
 */
import { describe, expect, it } from 'vitest';
import { runtime } from '../../../exec/compile/runtime.js';

describe('H.dphi (the shared φ wrap, printed as JS)', () => {
  it('wraps φ₁ − φ₂ into [−π, π)', () => {
    expect(runtime.dphi(0.5, 0.25)).toBe(0.25);
    expect(runtime.dphi(3, -3)).toBe(6 - 2 * Math.PI); // one turn down
    expect(runtime.dphi(-3, 3)).toBe(-6 + 2 * Math.PI); // one turn up
    expect(runtime.dphi(Math.PI, 0)).toBe(-Math.PI); // π is outside [−π, π)
    expect(runtime.dphi(-Math.PI, 0)).toBe(-Math.PI); // −π is inside
    expect(runtime.dphi(10, 0)).toBe(10 - 2 * (2 * Math.PI)); // two turns: floor((10 + π)/2π) = 2
    expect(runtime.dphi(Number.NaN, 0)).toBeNaN();
  });
});
