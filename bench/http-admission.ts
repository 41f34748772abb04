/**
 * Admission under many clients: `hepq serve --max-concurrent 32` in a child process, autocannon with 200
 * connections posting `SELECT 42`, once with no queue (`--max-queue 0`: every request past the cap is an
 * immediate 429, which the clients resend at once) and once with the default first-come queue, in the same
 * run. Reports answered queries (2xx) per second for each. Run: npx tsx bench/http-admission.ts [seconds]
 * [connections]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 200);

async function measure(title: string, serveArgs: string[]): Promise<void> {
  const port = 18000 + Math.floor(Math.random() * 1000);
  const args = ['serve', '--port', String(port), '--max-concurrent', '32', ...serveArgs];
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', `import('./server/cli/main.ts').then((m) => m.main(${JSON.stringify(args)}))`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let banner = '';
  server.stdout!.on('data', (d) => {
    banner += d;
  });
  while (!banner.includes('listening')) await once(server.stdout!, 'data');
  const run = () =>
    autocannon({
      url: `http://127.0.0.1:${port}/sql`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT 42 AS answer' }),
      connections,
      duration: seconds,
    });
  await run(); // warm-up
  const r = await run();
  const codes = Object.fromEntries(
    Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count]),
  );
  const ok = codes['200'] ?? 0;
  process.stdout.write(
    `${title}: ${(ok / seconds).toFixed(0)} answered/s (2xx), ${r.requests.average.toFixed(0)} responses/s, ` +
      `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, status ${JSON.stringify(codes)}, errors ${r.errors}\n`,
  );
  server.kill('SIGTERM');
  await once(server, 'exit');
}

await measure('no queue (429 past the cap)', ['--max-queue', '0']);
await measure('first-come queue (default 256)', []);
