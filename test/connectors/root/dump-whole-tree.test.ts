/**
 * `hepq dump` of a whole tree with branches hepq cannot read yet: what can be read is printed, what is skipped is
 * named on stderr, and asking for a refused branch by name fails with the reason.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

const PHYSLITE = `${ROOT_DATA}PHYSLITE_example.root`;
const OVERLAP = 'METAssoc_AnalysisMETAux./METAssoc_AnalysisMETAux.overlapIndices';
const GHOST = 'AnalysisJetsAuxDyn.GhostTrack';
/** Refused as holding no data of its own: an Aux container's top branch, whose class has only empty interface bases. */
const REFUSED = 'AnalysisElectronsAux.';

describe.skipIf(!HAVE_ROOT_DATA)('hepq dump of the whole PHYSLITE CollectionTree', () => {
  it('prints every event with the readable branches and names the skipped ones', async () => {
    const run = await runCli('dump', PHYSLITE, '--tree', 'CollectionTree');
    expect(run.code).toBe(0);
    const rows = run.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(100);
    expect(Object.keys(rows[0]!)).not.toContain(REFUSED);
    expect(run.err).toMatch(
      /^hepq dump: warning: read \d+ branches of CollectionTree, skipped \d+ that hold no data of their own: /,
    );
    expect(run.err).toMatch(/\(xAOD::Aux(Info|Container)Base\)/);
    // The triply nested vector is in the dump, equal to jsroot's reading of it.
    const ref = await openJsrootTree(PHYSLITE, 'CollectionTree');
    const want = (await ref.read(OVERLAP))!;
    expect(want).toHaveLength(100);
    expect(rows.map((r) => r[OVERLAP])).toEqual(
      want.map((e) => (e as unknown[][][]).map((a) => a.map((b) => Array.from(b, Number)))),
    );
    // So are the ElementLinks, as records of their persistent fields.
    const links = (await ref.read(GHOST))!;
    expect(rows.map((r) => r[GHOST])).toEqual(
      links.map((e) =>
        (e as { m_persKey: number; m_persIndex: number }[][]).map((a) =>
          a.map((l) => ({ m_persKey: l.m_persKey, m_persIndex: l.m_persIndex })),
        ),
      ),
    );
  });

  it('a refused branch asked for by name fails with the reason and where', async () => {
    const run = await runCli(
      'dump',
      PHYSLITE,
      '--tree',
      'CollectionTree',
      '--branch',
      'AnalysisJetsAuxDyn.pt',
      '--branch',
      REFUSED,
    );
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toContain('root/unsupported');
    expect(run.err).toContain(
      `xAOD::AuxContainerBase in branch ${REFUSED} holds no data of its own: xAOD::AuxContainerBase has no data members`,
    );
    expect(run.err).toContain(`CollectionTree/${REFUSED}`);
  });
});
