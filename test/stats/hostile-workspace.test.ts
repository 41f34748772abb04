/** Hostile workspaces: huge invalid documents and non-physical numbers end in located errors, promptly. */
import { describe, expect, it } from 'vitest';
import { HepqError } from '../../exec/batch/index.js';
import { Workspace } from '../../stats/index.js';

const channel = (type: unknown) => ({
  name: 'ch',
  samples: [{ name: 's', data: [1, 2], modifiers: [{ name: 'mu', type, data: null }] }],
});

describe('hostile workspaces', () => {
  it('200,000 channels with a bad modifier type: the first schema error, located (gathering all was quadratic)', () => {
    const bad = channel([[['normfactor']]]);
    const doc = {
      channels: Array.from({ length: 200_000 }, () => bad),
      observations: [{ name: 'ch', data: [1, 2] }],
      measurements: [{ name: 'm', config: { poi: 'mu', parameters: [] } }],
      version: '1.0.0',
    };
    let err: unknown;
    try {
      Workspace.fromJSON(doc);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HepqError);
    expect((err as HepqError).message).toMatch(/channels\[0\]\.samples\[0\]\.modifiers\[0\]\.type/);
  });

  it('a small invalid workspace still gets the most telling of all its errors', () => {
    const doc = {
      channels: [channel('normfactor'), channel('nosuchtype')],
      observations: [{ name: 'ch', data: [1, 2] }],
      measurements: [{ name: 'm', config: { poi: 'mu', parameters: [] } }],
      version: '1.0.0',
    };
    expect(() => Workspace.fromJSON(doc)).toThrow(/channels\[1\]\.samples\[0\]\.modifiers\[0\]\.type/);
  });
});
