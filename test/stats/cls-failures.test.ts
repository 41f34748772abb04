/**
 * `hepq cls` names the fit that did not converge and the optimiser's reason, instead of a bare "a fit did NOT
 * converge". The workspace is built so one fit must fail: with μ = 0 the second bin expects no events but 3 were
 * observed, so the likelihood of the background-only fit (the one that makes the Asimov data) is zero.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../server/index.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let ws: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hepq-cls-fail-'));
  ws = join(dir, 'impossible.json');
  writeFileSync(
    ws,
    JSON.stringify({
      channels: [
        {
          name: 'sr',
          samples: [
            { name: 'signal', data: [5, 5], modifiers: [{ name: 'mu', type: 'normfactor', data: null }] },
            { name: 'background', data: [10, 0], modifiers: [] },
          ],
        },
      ],
      observations: [{ name: 'sr', data: [10, 3] }],
      measurements: [{ name: 'm', config: { poi: 'mu', parameters: [] } }],
      version: '1.0.0',
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hepq cls with a fit that cannot converge', () => {
  it('exits 1 and says which fit failed and why, on stderr and in --json', async () => {
    const r = await runCli('cls', ws);
    expect(r.code).toBe(1);
    expect(r.out).toContain('(a fit did NOT converge)');
    expect(r.err).toContain(
      'warning: did not converge: the fit with μ fixed at 0 that makes the Asimov data (the NLL is not finite at the initial point)',
    );
    const j = await runCli('cls', ws, '--json');
    const row = JSON.parse(j.out);
    expect(row.converged).toBe(false);
    expect(row.failures).toEqual([
      'the fit with μ fixed at 0 that makes the Asimov data (the NLL is not finite at the initial point)',
    ]);
  });

  it("SQL's hypotest() has a converged column: false here", async () => {
    const session = new Session({ threads: 1 });
    try {
      const r = await session.sql(`SELECT mu, converged FROM hypotest('${ws}', mu := 1.0)`);
      expect(r.names).toEqual(['mu', 'converged']);
      expect(r.columns[1]).toEqual([false]);
    } finally {
      await session.close();
    }
  });
});
