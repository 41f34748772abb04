/** `hepq worker --queue redis://…`: a transformer worker pulling file jobs from the Redis queue. */
import { parseArgs } from 'node:util';
import { startQueueWorker } from '../../transform/index.js';
import type { Command } from '../command.js';
import { nonNegativeInt } from '../output.js';

const help = `usage: hepq worker --queue redis://HOST:PORT [options]

Pull jobs from a Redis queue (BullMQ): ServiceX transformer file jobs (each file's output is written into the
results folder named by the job, a volume shared with the server, e.g. a ReadWriteMany PVC) and query
morsels sent by \`hepq query --cluster\` (an entry range of a query over files read by path or URL; the
partial result goes back through Redis). Run as many as you like, anywhere that reaches Redis and the data.
Stops cleanly on SIGTERM / SIGINT.

options:
  --queue URL          redis:// URL of the queue (or HEPQ_QUEUE)
  --concurrency N      file jobs at once in this process (default 1)
  --lock-ms MS         a worker silent this long is presumed dead; its job goes to another (default 30000)
  --timeout-ms MS      abort a file job after this long; it is retried (default 600000)
  --name NAME          worker name in logs and results (default host-pid)
  --throttle-ms MS     fault drills only: wait before each file job

examples:
  hepq worker --queue redis://127.0.0.1:6379
  hepq worker --queue redis://redis:6379 --concurrency 4
`;

const command: Command = {
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        queue: { type: 'string' },
        concurrency: { type: 'string' },
        'lock-ms': { type: 'string' },
        'timeout-ms': { type: 'string' },
        name: { type: 'string' },
        'throttle-ms': { type: 'string' },
      },
    });
    const url = values.queue ?? process.env.HEPQ_QUEUE;
    if (!url) {
      io.err(`hepq worker: --queue redis://… is required\n\n${help}`);
      return 2;
    }
    const handle = await startQueueWorker({
      url,
      ...(values.concurrency ? { concurrency: nonNegativeInt(values.concurrency, 'concurrency')! } : {}),
      ...(values['lock-ms'] ? { lockMs: nonNegativeInt(values['lock-ms'], 'lock-ms')! } : {}),
      ...(values['timeout-ms'] ? { timeoutMs: nonNegativeInt(values['timeout-ms'], 'timeout-ms')! } : {}),
      ...(values['throttle-ms'] ? { throttleMs: nonNegativeInt(values['throttle-ms'], 'throttle-ms')! } : {}),
      ...(values.name ? { name: values.name } : {}),
      log: (line) => io.err(`${line}\n`),
    });
    const { startClusterWorker } = await import('../../cluster/index.js');
    const morsels = await startClusterWorker({
      url,
      name: handle.name,
      ...(values['lock-ms'] ? { lockMs: nonNegativeInt(values['lock-ms'], 'lock-ms')! } : {}),
      ...(values['throttle-ms'] ? { throttleMs: nonNegativeInt(values['throttle-ms'], 'throttle-ms')! } : {}),
      log: (line) => io.err(`${line}\n`),
    });
    io.out(`worker ${handle.name} ready on ${url}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    io.err(`worker ${handle.name} stopping\n`);
    await Promise.all([handle.close(), morsels.close()]);
    setTimeout(() => process.exit(0), 500).unref(); // a long-running command: end even if a socket lingers
    return 0;
  },
};

export default command;
