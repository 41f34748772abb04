/**
 * The ServiceX endpoint as both server commands mount it (`hepq servicex` on its own, `hepq serve --servicex` next
 * to the SQL routes): the transformer under `/servicex`, and at the root what the python client expects there
 * (`POST /token/refresh`, the S3 path it downloads from). Its routes check credentials themselves (the secret or an
 * access token minted from it, S3 signatures) and say so in their route config (`ownAuth`), so a host app's plain
 * bearer hook lets them through.
 */
import type { FastifyInstance } from 'fastify';
import { HepqError } from '../../exec/batch/index.js';
import { type Dispatcher, LocalPool, RedisDispatcher, TransformService } from '../transform/index.js';
import { servicexPlugin, servicexRootPlugin } from './index.js';

export interface ServicexServiceOptions {
  /** The job store and results. */
  readonly dataDir: string;
  /** redis:// URL: dispatch to `hepq worker` processes; absent: an in-process pool. */
  readonly queue?: string;
  /** In-process pool: file jobs at once (default 2), and a wait before each (fault drills). */
  readonly concurrency?: number;
  readonly throttleMs?: number;
  /** Inputs must lie under these directories (absent: any file this process can read). */
  readonly inputRoots?: readonly string[];
  /** http(s) inputs must start with one of these (default: none allowed). */
  readonly allowUrlPrefixes?: readonly string[];
  readonly reuseResults?: boolean;
}

/**
 * The transform service of a server command, started (unfinished requests resumed: thousands of files can take
 * longer than a fastify plugin may, so before the app is built). A URL prefix that is no http(s) URL with a path
 * is a usage error.
 */
export async function startTransformService(o: ServicexServiceOptions): Promise<TransformService> {
  for (const p of o.allowUrlPrefixes ?? [])
    if (!/^https?:\/\/[^/]+\//i.test(p))
      throw new HepqError('cli/usage', `the URL prefix '${p}' is not an http(s) URL with a path`, {
        hint: 'e.g. https://data.example.org/open/',
      });
  const dispatcher: Dispatcher = o.queue
    ? new RedisDispatcher({ url: o.queue })
    : new LocalPool({
        concurrency: o.concurrency ?? 2,
        ...(o.throttleMs ? { throttleMs: o.throttleMs } : {}),
      });
  const service = new TransformService({
    dataDir: o.dataDir,
    dispatcher,
    ...(o.inputRoots ? { inputRoots: [...o.inputRoots] } : {}),
    allowUrlPrefixes: [...(o.allowUrlPrefixes ?? [])],
    reuseResults: o.reuseResults === true,
  });
  await service.start();
  return service;
}

export interface ServicexMountOptions {
  readonly service: TransformService;
  /** The server secret (undefined on a loopback-only server without one: nothing is checked). */
  readonly token?: string;
  /** Where refused S3 requests are reported. */
  readonly log?: (line: string) => void;
}

export async function mountServicex(app: FastifyInstance, options: ServicexMountOptions): Promise<void> {
  const plugin = { service: options.service, ...(options.token ? { token: options.token } : {}) };
  const withLog = options.log ? { ...plugin, log: options.log } : plugin;
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object | undefined), ownAuth: true } as typeof route.config;
    });
    await scope.register(servicexPlugin, { prefix: '/servicex', ...withLog });
    await scope.register(servicexRootPlugin, withLog);
  });
}
