/** `hepq servicex`: the ServiceX-compatible transformer endpoint on its own HTTP server. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { servicexPlugin } from '../../servicex/index.js';
import { type Dispatcher, LocalPool, RedisDispatcher, TransformService } from '../../transform/index.js';
import type { Command } from '../command.js';
import { nonNegativeInt } from '../output.js';

const help = `usage: hepq servicex [options]

Serve a ServiceX-compatible transformer under /servicex: the python ServiceX client (and any S3 client, at
/servicex/s3) can submit func_adl / qastle selections over local files or http(s) URLs and download one
Parquet file per input. Requests and results live in --data-dir and survive a restart (unfinished requests
resume; finished files are not redone). Without --queue, file jobs run in this process; with --queue, they
go to \`hepq worker\` processes over Redis (the data dir must then be shared with the workers).

options:
  --host HOST          listen address (default 127.0.0.1; 0.0.0.0 in a container)
  --port N             port (default 5000; 0 picks a free one)
  --data-dir DIR       job store and results (default ./servicex-data)
  --data-root DIR      inputs must lie under DIR (repeatable; default: any file this process can read)
  --queue URL          redis:// URL: dispatch to queue workers instead of the in-process pool
  --concurrency N      in-process pool: file jobs at once (default 2)
  --token TOKEN        require Authorization: Bearer TOKEN (or HEPQ_TOKEN)
  --throttle-ms MS     fault drills only (in-process pool): wait before each file job

examples:
  hepq servicex --port 5000 --data-dir /var/lib/hepq
  hepq servicex --host 0.0.0.0 --queue redis://redis:6379 --data-dir /shared/hepq
`;

const command: Command = {
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'data-root': { type: 'string', multiple: true },
        queue: { type: 'string' },
        concurrency: { type: 'string' },
        token: { type: 'string' },
        'throttle-ms': { type: 'string' },
      },
    });
    const queue = values.queue ?? process.env.HEPQ_QUEUE;
    const dispatcher: Dispatcher = queue
      ? new RedisDispatcher({ url: queue })
      : new LocalPool({
          concurrency: nonNegativeInt(values.concurrency, 'concurrency') ?? 2,
          ...(values['throttle-ms']
            ? { throttleMs: nonNegativeInt(values['throttle-ms'], 'throttle-ms')! }
            : {}),
        });
    const service = new TransformService({
      dataDir: resolve(values['data-dir'] ?? 'servicex-data'),
      dispatcher,
      ...(values['data-root'] ? { inputRoots: values['data-root'].map((d) => resolve(d)) } : {}),
    });
    const token = values.token ?? process.env.HEPQ_TOKEN;
    const app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
    await app.register(servicexPlugin, { prefix: '/servicex', service, ...(token ? { token } : {}) });
    const url = await app.listen({
      host: values.host ?? '127.0.0.1',
      port: nonNegativeInt(values.port, 'port') ?? 5000,
    });
    io.out(`hepq servicex listening on ${url}/servicex (${dispatcher.kind} jobs)\n`);
    await new Promise<void>((r) => {
      process.once('SIGTERM', r);
      process.once('SIGINT', r);
    });
    await app.close();
    await service.close();
    setTimeout(() => process.exit(0), 500).unref(); // a long-running command: end even if a socket lingers
    return 0;
  },
};

export default command;
