/** `hepq sql` and `hepq serve` from the command line: formats, scripts, errors, the open-network warning. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../../server/session.js';
import { runCli } from '../../helpers/cli.js';
import { ADL_PARQUET, ADL_ROOT, HAVE_ADL, lit } from './helpers.js';

const run = runCli;

describe.skipIf(!HAVE_ADL)('hepq sql', () => {
  const reference = new Session();
  afterAll(() => reference.close());
  const parquetCount = async (where: string) =>
    Number(
      (await reference.sql(`SELECT count(*) FROM read_parquet(${lit(ADL_PARQUET)}) WHERE ${where}`))
        .columns[0]![0],
    );

  it('--format json prints a JSON array of row objects', async () => {
    const r = await run(
      'sql',
      `SELECT count(*) AS n FROM root(${lit(ADL_ROOT)}, 'Events') WHERE nMuon >= 2`,
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([{ n: await parquetCount('len(Muon) >= 2') }]);
  });

  it('--file runs a script (macro, view, query) in one session and prints the last rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hepq-sql-'));
    const script = join(dir, 'analysis.sql');
    writeFileSync(
      script,
      `-- a script; semicolons in strings and comments do not split it
CREATE MACRO hard(m) AS m.pt > 25;
CREATE VIEW ev AS SELECT * FROM root(${lit(ADL_ROOT)}, 'Events');
SELECT count(*) AS n, 'x;y' AS tag FROM ev WHERE len(list_filter(Muon, m -> hard(m))) >= 1;`,
    );
    const r = await run('sql', '--file', script, '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`n,tag\n${await parquetCount('len(list_filter(Muon, m -> m.pt > 25)) >= 1')},x;y\n`);
    const table = await run('sql', '--file', script);
    expect(table.out).toMatch(/^n +│ tag\n/);
    const out = join(dir, 'r.arrow');
    expect((await run('sql', '--file', script, '--format', 'arrow', '--out', out)).code).toBe(0);
    expect(arrow.tableFromIPC(readFileSync(out)).numRows).toBe(1);
  });

  it('errors print the message with a caret and exit 1; usage mistakes exit 2', async () => {
    const r = await run('sql', 'SELECT 1;\nSELEC 2');
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[sql/parser]');
    expect(r.err).toContain('2 | SELEC 2\n      ^^^^^');
    expect((await run('sql', 'SELECT 1', '--format', 'xml')).code).toBe(1);
    expect((await run('sql')).code).toBe(2);
    const missing = await run('sql', '--file', '/no/such/script.sql');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('/no/such/script.sql');
  });
});

/** `hepq serve …` in a child process through tsx (exits with main's code). */
function serve(...args: string[]) {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./server/cli/main.ts').then((m) => m.main(${JSON.stringify(['serve', ...args])})).then((c) => process.exit(c))`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

describe('hepq serve', () => {
  it('refuses to listen beyond loopback without a token', async () => {
    const child = serve('--host', '0.0.0.0', '--port', '0');
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).not.toBe(0);
    expect(err).toContain('will not listen on 0.0.0.0 without a token');
    expect(err).toContain('--insecure');
    expect(err).not.toMatch(/\n\s+at /); // a located error, not a stack
  });

  it('with --insecure, warns loudly when listening beyond loopback without a token, and serves', async () => {
    const child = serve('--host', '0.0.0.0', '--port', '0', '--insecure');
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    try {
      // wait for the line saying where it listens (or for the process to end, which the expectations then show)
      await new Promise<void>((resolve) => {
        const check = () => {
          if (out.includes('listening')) resolve();
        };
        child.stdout.on('data', check);
        child.on('exit', () => resolve());
        check();
      });
      expect(err).toMatch(
        /WARNING \(--insecure\): hepq serve is listening on 0\.0\.0\.0 WITHOUT authentication/,
      );
      const url = /listening on (http:\/\/\S+)/.exec(out)![1]!;
      const port = new URL(url).port;
      const res = await fetch(`http://127.0.0.1:${port}/sql`, {
        method: 'POST',
        body: 'SELECT 7 AS seven',
        headers: { 'content-type': 'text/plain' },
      });
      expect(await res.json()).toEqual([{ seven: 7 }]);
      // The refused state-changing calls leave nothing behind: SIGTERM is a clean exit.
      const refused = await fetch(`http://127.0.0.1:${port}/sql`, {
        method: 'POST',
        body: "SELECT * FROM enable_logging(storage := 'file', storage_path := 'hepq-logs')",
        headers: { 'content-type': 'text/plain' },
      });
      expect(refused.status).toBe(403);
      const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
