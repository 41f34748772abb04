/** `hepq servicex`: the ServiceX-compatible transformer endpoint on its own HTTP server. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { checkOpenHost, serverToken } from '../../http/auth.js';
import { hostGuard } from '../../http/guards.js';
import { mountServicex, startTransformService } from '../../servicex/mount.js';
import type { Command } from '../command.js';
import { nonNegativeInt } from '../output.js';
import { URL_POLICY_OPTIONS, urlPrefixes } from '../url-options.js';

const help = `usage: hepq servicex [options]

Serve a ServiceX-compatible transformer: the python ServiceX client (\`endpoint: http://HOST:PORT\` in
servicex.yaml) submits func_adl / qastle selections over local files (or allowed http(s) URLs) and downloads
one Parquet or ROOT file per input from the S3 (minio) path at the root of the same host:port. Requests and
results live in --data-dir and survive a restart (unfinished requests resume; finished files are not redone).
Without --queue, file jobs run in this process; with --queue, they go to \`hepq worker\` processes over Redis
(the data dir must then be shared with the workers).

Authentication as on a ServiceX server: the secret (--token-file or HEPQ_TOKEN) is the refresh token users
write as \`token:\` in servicex.yaml; POST /token/refresh exchanges it for a JWT access token. The S3 path takes
SigV4 signatures made with the key pair the status records hand out. A server bound beyond loopback refuses to
start without a token unless --insecure is given. Options \`hepq serve --servicex\` also has mean the same there
and are spelled the same.

options:
  --host HOST          listen address (default 127.0.0.1; 0.0.0.0 in a container)
  --port N             port (default 5000; 0 picks a free one)
  --data-dir DIR       job store and results (default ./servicex-data)
  --data-root DIR      inputs must lie under DIR (repeatable; default: any file this process can read)
  --allow-url-prefix P http(s) inputs must lie under P (same origin, path prefix), redirects are followed only
                       to URLs under P (repeatable; default: no URL inputs)
  --queue URL          redis:// URL: dispatch to queue workers instead of the in-process pool
  --concurrency N      in-process pool: file jobs at once (default 2)
  --token-file F       the secret, first line of F (or the HEPQ_TOKEN environment variable)
  --insecure           allow a non-loopback --host without a token
  --allow-host NAME    without a token, also answer requests for host NAME (repeatable; IP literals and
                       localhost always; other names are refused against DNS rebinding)
  --reuse-results      answer a request equal to an earlier complete one (same title too) with its id
  --throttle-ms MS     fault drills only (in-process pool): wait before each file job

examples:
  hepq servicex --port 5000 --data-dir /var/lib/hepq
  HEPQ_TOKEN=$(cat /run/secrets/hepq) hepq servicex --host 0.0.0.0 --queue redis://redis:6379 --data-dir /shared/hepq
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
        'token-file': { type: 'string' },
        insecure: { type: 'boolean' },
        ...URL_POLICY_OPTIONS,
        'allow-host': { type: 'string', multiple: true },
        'reuse-results': { type: 'boolean' },
        'throttle-ms': { type: 'string' },
      },
    });
    const token = serverToken(values);
    const host = values.host ?? '127.0.0.1';
    const port = nonNegativeInt(values.port, 'port') ?? 5000; // checked before anything starts
    checkOpenHost('servicex', host, token, values.insecure === true, io.err);
    const queue = values.queue ?? process.env.HEPQ_QUEUE;
    const concurrency = nonNegativeInt(values.concurrency, 'concurrency');
    const throttleMs = nonNegativeInt(values['throttle-ms'], 'throttle-ms');
    const service = await startTransformService({
      dataDir: resolve(values['data-dir'] ?? 'servicex-data'),
      ...(queue ? { queue } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(throttleMs ? { throttleMs } : {}),
      ...(values['data-root'] ? { inputRoots: values['data-root'].map((d) => resolve(d)) } : {}),
      allowUrlPrefixes: urlPrefixes(values) ?? [],
      reuseResults: values['reuse-results'] === true,
    });
    const log = (line: string) => io.err(`hepq servicex: ${line}\n`);
    // The SQL server's limits for slow or idle clients, its connection cap and its Host/Origin guard (DNS
    // rebinding; the Host check applies only without a token, as there).
    const app = Fastify({
      bodyLimit: 16 * 1024 * 1024,
      requestTimeout: 60_000,
      connectionTimeout: 10 * 60_000, // downloads of large outputs stream for a while
      keepAliveTimeout: 5_000,
      http: { headersTimeout: 20_000, connectionsCheckingInterval: 1_000 },
    });
    app.server.maxConnections = 1024;
    app.addHook('onRequest', hostGuard({ checkHost: !token, allowedHosts: values['allow-host'] ?? [] }));
    await mountServicex(app, { service, log, ...(token ? { token } : {}) });
    const url = await app.listen({ host, port });
    io.out(
      `hepq servicex listening on ${url} (the endpoint for servicex.yaml; ${queue ? 'redis' : 'local'} jobs)\n`,
    );
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
