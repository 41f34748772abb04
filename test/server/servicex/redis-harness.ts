/**
 * The setup of the queue tests: a real redis-server on a free port (no persistence), a TransformService with
 * a RedisDispatcher behind the ServiceX plugin, and `hepq worker` processes (killed after each test).
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { RedisDispatcher, TransformService } from '../../../server/transform/index.js';
import { postJson, Q5_QASTLE, startServer, tempDir } from './helpers.js';
import { freePort, type Proc, spawnHepq, startRedis } from './procs.js';

export interface RedisHarness {
  readonly dir: string;
  readonly port: number;
  readonly queueUrl: string;
  readonly service: TransformService;
  readonly base: string;
  redis: Proc;
  /** Start `hepq worker --name NAME` (lock 1.5 s) and wait until it is ready. */
  worker(name: string, ...extra: string[]): Promise<Proc>;
  /** Submit a request (cache off) and return its id. */
  submit(files: string[], selection?: string): Promise<string>;
}

/** Register the hooks of one test file and return the harness (its fields are set once beforeAll ran). */
export function useRedisHarness(tag: string): RedisHarness {
  const workers: Proc[] = [];
  let stop: (() => Promise<void>) | undefined;
  const h = {
    dir: tempDir(tag),
    port: 0,
    queueUrl: '',
    base: '',
  } as { -readonly [K in keyof RedisHarness]: RedisHarness[K] };
  h.worker = async (name, ...extra) => {
    const w = spawnHepq('worker', '--queue', h.queueUrl, '--name', name, '--lock-ms', '1500', ...extra);
    workers.push(w);
    await w.waitFor(/ready on/);
    return w;
  };
  h.submit = async (files, selection = Q5_QASTLE) => {
    const r = await postJson(`${h.base}/servicex/transformation`, {
      'file-list': files,
      selection,
      codegen: selection.startsWith('(') ? 'uproot' : 'func-adl',
      'ignore-cache': true,
    });
    expect(r.status).toBe(200);
    return r.body.request_id as string;
  };
  beforeAll(async () => {
    h.port = await freePort();
    h.redis = await startRedis(h.port);
    h.queueUrl = `redis://127.0.0.1:${h.port}`;
    h.service = new TransformService({
      dataDir: h.dir,
      dispatcher: new RedisDispatcher({ url: h.queueUrl }),
    });
    const s = await startServer(h.service);
    h.base = s.url;
    stop = async () => {
      await s.app.close();
      await h.service.close();
    };
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.kill('SIGKILL');
  });
  afterAll(async () => {
    for (const w of workers.splice(0)) await w.kill('SIGKILL');
    await stop?.();
    await h.redis?.kill('SIGKILL');
  });
  return h;
}
