/** The one shell-pattern converter: `*` and `?` over whole names, within a path segment unless told. */
import { describe, expect, it } from 'vitest';
import { globRegExp, isGlob } from '../../../exec/core/index.js';

describe('globRegExp', () => {
  it('matches whole names: * any run, ? one character, the rest literally', () => {
    const re = globRegExp('Muon_*');
    expect(['Muon_pt', 'Muon_', 'Muon_eta'].every((n) => re.test(n))).toBe(true);
    expect(['nMuon', 'Muon', 'xMuon_pt'].some((n) => re.test(n))).toBe(false);
    expect(globRegExp('run?.root').test('run1.root')).toBe(true);
    expect(globRegExp('run?.root').test('run12.root')).toBe(false);
    expect(globRegExp('a.b(c)+').test('a.b(c)+')).toBe(true);
    expect(globRegExp('a.b').test('axb')).toBe(false);
  });

  it('does not cross / in a path segment, does for branch names; case only when asked', () => {
    expect(globRegExp('evt*').test('evt/I32')).toBe(false);
    expect(globRegExp('evt*', { slashes: true }).test('evt/I32')).toBe(true);
    expect(globRegExp('muon_*').test('Muon_pt')).toBe(false);
    expect(globRegExp('muon_*', { ignoreCase: true }).test('Muon_pt')).toBe(true);
    expect([isGlob('Muon_*'), isGlob('a?'), isGlob('Muon_pt')]).toEqual([true, true, false]);
  });
});
