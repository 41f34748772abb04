/**
 * ServiceX transformer throughput: ADL task 5 (qastle) over N copies of the 1000-event CMS sample, timed from
 * submission to `Complete`, with the in-process pool (1 and 2 slots) and with 1 and 2 `hepq worker` processes
 * over a throwaway redis-server. Prints a markdown table (files/s, events/s).
 *
 *   npx tsx bench/servicex.ts [files=48] [reps=3]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dispatcher, LocalPool, RedisDispatcher, TransformService } from '../server/transform/index.js';
import { Q5_QASTLE, SAMPLE } from '../test/server/servicex/helpers.js';

const FILES = Number(process.argv[2] ?? 48);
const REPS = Number(process.argv[3] ?? 3);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENTRY =
  "import('./server/cli/main.ts').then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })";

function spawnWait(cmd: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const on = (d: Buffer) => {
      text += d;
      if (ready.test(text)) resolve(child);
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (c) => reject(new Error(`${cmd} exited ${c}: ${text}`)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Seconds from submit to Complete for one request of FILES files (median of REPS). */
async function timeRequests(dispatcher: Dispatcher): Promise<number> {
  const service = new TransformService({
    dataDir: mkdtempSync(join(tmpdir(), 'hepq-sx-bench-')),
    dispatcher,
  });
  await service.start();
  const files = Array.from({ length: FILES }, () => SAMPLE);
  const submit = () =>
    service.submit({ fileList: files, selection: Q5_QASTLE, codegen: 'uproot', ignoreCache: true });
  const wait = async (id: string) => {
    while (service.get(id).status !== 'Complete') {
      if (service.get(id).status === 'Fatal') throw new Error('request failed');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await wait(await submit()); // warm-up
  const times: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    await wait(await submit());
    times.push((performance.now() - t0) / 1000);
  }
  await service.close();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const rows: string[] = [];
const row = (name: string, s: number) =>
  rows.push(
    `| ${name} | ${FILES} | ${s.toFixed(2)} | ${(FILES / s).toFixed(1)} | ${((FILES * 1000) / s).toExponential(2)} |`,
  );

for (const slots of [1, 2])
  row(
    `in-process pool, ${slots} slot${slots > 1 ? 's' : ''}`,
    await timeRequests(new LocalPool({ concurrency: slots })),
  );

// A fresh redis-server and fresh workers for each configuration.
for (const n of [1, 2]) {
  const port = await freePort();
  const redis = await spawnWait(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    /Ready to accept/,
  );
  const url = `redis://127.0.0.1:${port}`;
  const workers: ChildProcess[] = [];
  try {
    for (let k = 0; k < n; k++)
      workers.push(
        await spawnWait(
          process.execPath,
          ['--import', 'tsx', '-e', ENTRY, 'worker', '--queue', url, '--name', `b${k}`],
          /ready on/,
        ),
      );
    row(`Redis queue, ${n} hepq worker${n > 1 ? 's' : ''}`, await timeRequests(new RedisDispatcher({ url })));
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    redis.kill('SIGKILL');
  }
}

console.log('| dispatch | files | s (median) | files/s | events/s |\n|---|---:|---:|---:|---:|');
console.log(rows.join('\n'));
process.exit(0);
