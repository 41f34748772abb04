/**
 * HTTP throughput of small SQL queries: `hepq serve` in a child process, autocannon here with 32
 * connections posting `SELECT 1`-class queries. Run: npx tsx bench/http-sql.ts [seconds] [connections]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 32);
const port = 18000 + Math.floor(Math.random() * 1000);
const server = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '-e',
    `import('./server/cli/main.ts').then((m) => m.main(['serve', '--port', '${port}', '--max-concurrent', '64']))`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let banner = '';
server.stdout!.on('data', (d) => {
  banner += d;
});
while (!banner.includes('listening')) await once(server.stdout!, 'data');

const run = (title: string, body: string) =>
  autocannon({
    url: `http://127.0.0.1:${port}/sql`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
    title,
  });

for (const [title, sql] of [
  ['SELECT 1', 'SELECT 1'],
  ['SELECT 42 AS answer, sqrt(2) AS root2', 'SELECT 42 AS answer, sqrt(2) AS root2'],
]) {
  await run('warm-up', JSON.stringify({ sql })); // connections and the engine's statement path warm
  const r = await run(title!, JSON.stringify({ sql }));
  const codes = Object.fromEntries(
    Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count]),
  );
  process.stdout.write(
    `${title}: ${r.requests.average.toFixed(0)} req/s, latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ` +
      `max ${r.latency.max} ms, ${r.requests.total} requests, errors ${r.errors}, timeouts ${r.timeouts}, status ${JSON.stringify(codes)}\n`,
  );
}
server.kill('SIGTERM');
await once(server, 'exit');
