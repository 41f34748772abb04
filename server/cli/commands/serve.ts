/** `hepq serve`: the HTTP server (SQL and func_adl over files under data roots), optionally with the ServiceX endpoint. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HepqError } from '../../../exec/core/index.js';
import { buildServer } from '../../http/app.js';
import { checkOpenHost, serverToken } from '../../http/auth.js';
import type { Command } from '../command.js';
import { nonNegativeInt } from '../output.js';

const help = `usage: hepq serve [--port N] [--host 127.0.0.1] [--token-file F] [--data-root DIR]...
                  [--max-concurrent N] [--max-queue N] [--timeout-ms MS] [--body-limit BYTES] [--max-rows N]
                  [--request-timeout-ms MS] [--max-connections N] [--allow-host NAME]... [--insecure]
                  [--device auto|cpu|gpu] [--servicex [--servicex-data DIR]]

Serve SQL and func_adl queries over HTTP:
  POST /sql      {"sql": "SELECT …"} or the SQL as text/plain (read-only statements only)
  POST /query    {"query": "<func_adl or qastle>", "files": ["…"], "tree": "Events"}
  GET  /health   GET /metrics (Prometheus)   GET /docs (OpenAPI)
Results are JSON (default), Arrow IPC stream, CSV, JSON lines or Parquet, by the Accept header
(application/vnd.apache.arrow.stream, text/csv, application/x-ndjson, application/vnd.apache.parquet) or a
"format" field. Errors are 4xx with {"error": {"code", "message", "location", "hint"}}.

options:
  --port N             port (default 8080; 0 picks a free one)
  --host HOST          listen address (default 127.0.0.1); any other than loopback needs --token-file
  --token-file F       require Authorization: Bearer <the file's first line> (all routes but /health, /docs);
                       or the HEPQ_TOKEN environment variable
  --insecure           serve beyond loopback without a token anyway (anyone who reaches it reads the data)
  --allow-host NAME    without a token, also answer requests for host NAME (repeatable; IP literals and
                       localhost always; other names are refused against DNS rebinding)
  --data-root DIR      clients may read files under DIR only (repeatable; default: the working directory)
  --max-concurrent N   queries at once; more wait their turn (default 32)
  --max-queue N        queries waiting; more get 429 (default 8 × max-concurrent)
  --timeout-ms MS      per-query limit, the wait included (default 30000)
  --body-limit BYTES   request body limit (default 1048576)
  --request-timeout-ms MS  time to send a whole request (default 30000; slower clients get 408)
  --max-connections N  open connections at most (default 1024)
  --max-rows N         result row limit (default 1000000)
  --device D           where func_adl queries run: auto (default: the GPU for queries large enough to gain),
                       cpu, or gpu (always; an error where there is none). The GPU stack's own messages are
                       kept out of stderr (--verbose shows them)
  --servicex           also serve the ServiceX endpoint as \`hepq servicex\` does: /servicex, /token/refresh
                       and the S3 path at the root (same secret; the python client's endpoint is this server)
  --servicex-data DIR  its job store (default ./servicex-data)
  --servicex-queue URL send its file jobs to \`hepq worker\` processes over Redis (redis://…)
  --servicex-allow-url-prefix P  its http(s) inputs must start with P (repeatable; default: no URL inputs)

examples:
  hepq serve --data-root /data/nanoaod --port 8080
  curl -s localhost:8080/sql -d "SELECT count(*) FROM root('run.root', 'Events') WHERE nMuon >= 2" -H 'content-type: text/plain'
`;

const int = (s: string | undefined, name: string, fallback: number): number =>
  nonNegativeInt(s, name) ?? fallback;

const command: Command = {
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string' },
        'token-file': { type: 'string' },
        'data-root': { type: 'string', multiple: true },
        'max-concurrent': { type: 'string' },
        'max-queue': { type: 'string' },
        'request-timeout-ms': { type: 'string' },
        'max-connections': { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        insecure: { type: 'boolean' },
        'timeout-ms': { type: 'string' },
        'body-limit': { type: 'string' },
        'max-rows': { type: 'string' },
        device: { type: 'string' },
        servicex: { type: 'boolean' },
        'servicex-data': { type: 'string' },
        'servicex-queue': { type: 'string' },
        'servicex-allow-url-prefix': { type: 'string', multiple: true },
      },
    });
    const device = values.device;
    if (device !== undefined && device !== 'cpu' && device !== 'gpu' && device !== 'auto')
      throw new HepqError('cli/bad-device', `unknown device '${device}'`, {
        hint: 'use --device cpu, gpu or auto',
      });
    const host = values.host ?? '127.0.0.1';
    const token = serverToken(values);
    const port = int(values.port, 'port', 8080); // checked before anything starts
    checkOpenHost('serve', host, token, values.insecure === true, io.err);
    const maxConcurrent = Math.max(1, int(values['max-concurrent'], 'max-concurrent', 32));
    const dataRoots = (values['data-root'] ?? [process.cwd()]).map((d) => resolve(d));
    const { app } = await buildServer({
      dataRoots,
      ...(token ? { token } : {}),
      maxConcurrent,
      maxQueue: int(values['max-queue'], 'max-queue', 8 * maxConcurrent),
      requestTimeoutMs: Math.max(1, int(values['request-timeout-ms'], 'request-timeout-ms', 30_000)),
      maxConnections: Math.max(1, int(values['max-connections'], 'max-connections', 1024)),
      allowedHosts: values['allow-host'] ?? [],
      queryTimeoutMs: Math.max(1, int(values['timeout-ms'], 'timeout-ms', 30_000)),
      bodyLimit: Math.max(1, int(values['body-limit'], 'body-limit', 1024 * 1024)),
      maxRows: int(values['max-rows'], 'max-rows', 1_000_000),
      ...(device ? { device } : {}),
    });
    let closeServicex: (() => Promise<void>) | undefined;
    if (values.servicex) {
      // the endpoint `hepq servicex` serves, mounted the same way (its routes check the same secret themselves)
      const { mountServicex, startTransformService } = await import('../../servicex/mount.js');
      try {
        const service = await startTransformService({
          dataDir: resolve(values['servicex-data'] ?? 'servicex-data'),
          ...(values['servicex-queue'] ? { queue: values['servicex-queue'] } : {}),
          inputRoots: dataRoots, // as the SQL routes
          allowUrlPrefixes: values['servicex-allow-url-prefix'] ?? [],
        });
        closeServicex = () => service.close();
        await mountServicex(app, {
          service,
          log: (line) => io.err(`hepq serve: servicex: ${line}\n`),
          ...(token ? { token } : {}),
        });
      } catch (e) {
        await app.close();
        await closeServicex?.();
        throw e;
      }
    }
    const url = await app.listen({ host, port });
    io.out(`hepq serve listening on ${url} (docs at ${url}/docs)\n`);
    await new Promise<void>((r) => {
      process.once('SIGTERM', r);
      process.once('SIGINT', r);
    });
    await app.close();
    await closeServicex?.();
    return 0;
  },
};

export default command;
