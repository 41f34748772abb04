// Writes dist/cli.cjs.cache, V8's code cache of the CLI bundle (bin/cli-loader.mjs reads it): compiles the bundle,
// runs the start-up paths users wait on (a small query on a generated file, `sql 'SELECT 1'`, the commands'
// help, `hepq serve` to its first answer), then saves the code V8 compiled for them. Run by build.mjs in a child process of its own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCli } from '../bin/cli-loader.mjs';

process.env.HEPQ_NO_CODE_CACHE = '1'; // compile from the source, not from an older cache
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const { cli, script } = await loadCli(dist);
if (!script) throw new Error('dist/cli.cjs is missing');
const io = { out() {}, err() {} };
const dir = mkdtempSync(join(tmpdir(), 'hepq-code-cache-'));
try {
  const file = join(dir, 'warm.root');
  const steps = [
    ['generate', '--events', '500', '--out', file, '--workers', '1', '--quiet'],
    ['query', 'Select(lambda e: e.nMuon).Count()', file, '--threads', '1'],
    ['query', 'Select(lambda e: e.MET_pt).Where(lambda m: m > 20).Count()', file, '--threads', '1'],
    ['sql', 'SELECT 1'],
    ...['query', 'sql', 'repl', 'serve', 'dump', 'inspect', 'explain'].map((c) => [c, '--help']),
  ];
  for (const argv of steps) {
    const code = await cli.main(argv, io);
    if (code !== 0) throw new Error(`hepq ${argv.join(' ')} exited ${code}`);
  }
  // hepq serve to its first answer (a small /query), then stopped as a service manager would
  let listening;
  const listens = new Promise((r) => {
    listening = r;
  });
  const serveIo = {
    out(text) {
      const m = /listening on (\S+)/.exec(text);
      if (m) listening(m[1]);
    },
    err() {},
  };
  const serving = cli.main(['serve', '--port', '0', '--data-root', dir], serveIo);
  const url = await Promise.race([
    listens,
    serving.then((c) => Promise.reject(new Error(`hepq serve exited ${c}`))),
  ]);
  const res = await fetch(`${url}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'Select(lambda e: e.nMuon).Count()', files: [file] }),
  });
  if (res.status !== 200) throw new Error(`hepq serve answered ${res.status}: ${await res.text()}`);
  process.emit('SIGTERM');
  await serving;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(join(dist, 'cli.cjs.cache'), script.createCachedData());
process.exit(0); // idle worker pools and DuckDB need not be waited for
