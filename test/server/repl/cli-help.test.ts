/** The command line's help and its messages for the common mistakes, as a newcomer meets them. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../server/cli/commands/index.js';
import { runCli } from '../../helpers/cli.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

const run = runCli;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hepq-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('help', () => {
  it('hepq --help lists every command and shows examples', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    for (const c of COMMANDS) expect(out).toContain(`  ${c.name} `);
    expect(out).toContain('examples:');
    expect(out).toContain('hepq demo');
  });

  it('every subcommand has usage and examples in its help', async () => {
    for (const c of COMMANDS) {
      const { code, out } = await run(c.name, '--help');
      expect(code, c.name).toBe(0);
      expect(out, c.name).toMatch(/usage: hepq /);
      expect(out.toLowerCase(), c.name).toContain('example');
    }
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('common mistakes', () => {
  const file = `${ROOT_DATA}uproot-HZZ.root`;

  it('a file that is not ROOT says so, at byte 0', async () => {
    const bad = join(dir, 'notes.root');
    writeFileSync(bad, 'these are my notes\n');
    const { code, err } = await run('query', 'Select(lambda e: e.x).Count()', bad);
    expect(code).toBe(1);
    expect(err).toContain('is not a ROOT file');
    expect(err).toContain('byte offset 0');
  });

  it('a tree that does not exist lists the ones that do', async () => {
    const { code, err } = await run('query', 'Select(lambda e: e.NJet).Count()', file, '--tree', 'Evnts');
    expect(code).toBe(1);
    expect(err).toContain("no object 'Evnts'");
    expect(err).toContain("did you mean 'events'?");
  });

  it('the file before the query gets the corrected command line', async () => {
    const { code, err } = await run('query', file, 'Select(lambda e: e.NJet).Count()');
    expect(code).toBe(1);
    expect(err).toContain('the query comes first');
    expect(err).toContain(`hint: hepq query "Select(lambda e: e.NJet).Count()" ${file}`);
  });

  it('--plot of a query that is not a histogram explains what to add', async () => {
    const { code, err } = await run(
      'query',
      'Select(lambda e: e.NJet).Count()',
      file,
      '--plot',
      join(dir, 'x.svg'),
    );
    expect(code).toBe(1);
    expect(err).toContain('--plot draws histograms');
    expect(err).toContain('.Hist(');
  });

  it('a plot file with an unknown extension is refused before any work', async () => {
    const json = join(dir, 'h.json');
    writeFileSync(json, JSON.stringify({ edges: [0, 1], counts: [3] }));
    const { code, err } = await run('plot', json, '--out', join(dir, 'h.pdf'));
    expect(code).toBe(1);
    expect(err).toContain('cannot tell the plot format of');
    expect(err).toContain('.svg or .png');
  });
});

describe('option mistakes', () => {
  it("an unknown option gets the nearest one the command has, not Node's parseArgs text", async () => {
    const { code, err } = await runCli('query', 'Select(lambda e: e.x)', 'f.root', '--xlable', 'pT');
    expect(code).toBe(2);
    expect(err).toContain("hepq query: unknown option '--xlable' — did you mean '--xlabel'?");
    expect(err).toContain('usage: hepq query');
    expect(err).not.toContain('To specify a positional argument');
    const missing = await runCli('dump', 'f.root', '--tree');
    expect(missing.err).toContain('hepq dump: --tree needs a value');
  });
});
