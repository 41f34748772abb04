/**
 * Counts how every branch of the scikit-hep-testdata ROOT files compares with jsroot: identical, differ, no
 * reference (jsroot cannot read it), error, refused. Each file runs in a child process (jsroot aborts the process
 * on some layouts; such a file is reported as crashed, not lost). Not a test: the numbers for BENCHMARKS-style
 * notes and reports.
 *
 *   npx tsx test/helpers/corpus-tally.ts <dir of skhep_testdata/data> [file.root ...]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareWithJsroot } from './compare-jsroot.js';
import { NO_JSROOT } from './jsroot-aborts.js';

const OUTCOMES = ['same', 'differ', 'noref', 'error'] as const;

async function one(path: string): Promise<void> {
  const name = path.split('/').pop()!;
  const skip = NO_JSROOT[name];
  const r = await compareWithJsroot(path, 2000, (_t, b) => skip?.test(b) ?? false);
  const counts = Object.fromEntries(
    OUTCOMES.map((o) => [o, r.branches.filter((b) => b.outcome === o).length]),
  );
  const bad = r.branches.filter((b) => b.outcome === 'differ' || b.outcome === 'error');
  const line = JSON.stringify({ name, ...counts, refused: r.refused.length, bad });
  await new Promise<void>((done) => process.stdout.write(`${line}\n`, () => done()));
}

async function all(dir: string, only: string[]): Promise<void> {
  const files = only.length
    ? only
    : readdirSync(dir)
        .filter((f) => f.endsWith('.root') && !f.includes('rntuple'))
        .sort();
  const total: Record<string, number> = { same: 0, differ: 0, noref: 0, error: 0, refused: 0 };
  const crashed: string[] = [];
  for (const f of files) {
    let out = '';
    try {
      out = execFileSync(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), '--one', `${dir}/${f}`],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
          maxBuffer: 1 << 30,
        },
      );
    } catch {
      crashed.push(f);
      continue;
    }
    const line = out.split('\n').find((l) => l.startsWith('{"name"'));
    if (!line) {
      crashed.push(f);
      continue;
    }
    const r = JSON.parse(line) as Record<string, number> & {
      bad: { tree: string; branch: string; rootType: string }[];
    };
    for (const k of Object.keys(total)) total[k]! += r[k]!;
    for (const b of r.bad) console.log(`${f}:${b.tree}:${b.branch} (${b.rootType}) differs or fails`);
  }
  console.log(JSON.stringify({ files: files.length, ...total, crashed }));
}

const args = process.argv.slice(2);
if (args[0] === '--one') await one(args[1]!);
else await all(args[0]!.replace(/\/$/, ''), args.slice(1));
