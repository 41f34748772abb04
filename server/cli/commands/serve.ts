/** `hepq serve`: the HTTP server (SQL and func_adl over files under data roots), optionally with the ServiceX endpoint. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HepqError } from '../../../exec/core/index.js';
import { buildServer } from '../../http/app.js';
import { checkOpenHost, serverToken } from '../../http/auth.js';
import type { Command } from '../command.js';
import { deviceOption, nonNegativeInt } from '../output.js';
import { applyAliases, URL_POLICY_OPTIONS, urlPrefixes } from '../url-options.js';

const help = `usage: hepq serve [--port N] [--host 127.0.0.1] [--token-file F] [--data-root DIR]...
                  [--allow-url-prefix P]... [--max-concurrent N] [--max-queue N] [--timeout-ms MS]
                  [--body-limit BYTES] [--max-rows N] [--request-timeout-ms MS] [--max-connections N]
                  [--allow-host NAME]... [--insecure] [--device auto|cpu|gpu|duckdb]
                  [--servicex [--data-dir DIR] [--queue URL] [--concurrency N] [--reuse-results]]

Serve SQL and func_adl queries over HTTP:
  POST /sql      {"sql": "SELECT …"} or the SQL as text/plain (read-only statements only)
  POST /query    {"query": "<func_adl or qastle>", "files": ["…"], "tree": "Events"}
  GET  /health   GET /metrics (Prometheus)   GET /docs (OpenAPI)
Results are JSON (default), Arrow IPC stream, CSV, JSON lines or Parquet, by the Accept header
(application/vnd.apache.arrow.stream, text/csv, application/x-ndjson, application/vnd.apache.parquet) or a
"format" field. Errors are 4xx with {"error": {"code", "message", "location", "hint"}}.
Options that \`hepq servicex\` also has mean the same there and are spelled the same.

options:
  --port N             port (default 8080; 0 picks a free one)
  --host HOST          listen address (default 127.0.0.1); any other than loopback needs --token-file
  --token-file F       require Authorization: Bearer <the file's first line> (all routes but /health, /docs);
                       or the HEPQ_TOKEN environment variable
  --insecure           serve beyond loopback without a token anyway (anyone who reaches it reads the data)
  --allow-host NAME    without a token, also answer requests for host NAME (repeatable; IP literals and
                       localhost always; other names are refused against DNS rebinding)
  --data-root DIR      clients may read files under DIR only (repeatable; default: the working directory)
  --allow-url-prefix P clients may read http(s) ROOT files under P (same origin, path prefix), redirects are
                       followed only to URLs under P (repeatable; default: no URL inputs); ServiceX inputs too
  --max-concurrent N   queries at once; more wait their turn (default 32)
  --max-queue N        queries waiting; more get 429 (default 8 × max-concurrent)
  --timeout-ms MS      per-query limit, the wait included (default 30000)
  --body-limit BYTES   request body limit (default 1048576)
  --request-timeout-ms MS  time to send a whole request (default 30000; slower clients get 408)
  --max-connections N  open connections at most (default 1024)
  --max-rows N         result row limit (default 1000000)
  --device D           where func_adl queries run: auto (default: the GPU for queries large enough to gain),
                       cpu, gpu (always; an error where there is none), or duckdb (queries DuckDB can run
                       exactly; others on the CPU). The GPU stack's own messages are kept out of stderr
                       (--verbose shows them)
  --servicex           also serve the ServiceX endpoint as \`hepq servicex\` does: /servicex, /token/refresh
                       and the S3 path at the root (same secret; the python client's endpoint is this server)
  --data-dir DIR       with --servicex: its job store and results (default ./servicex-data)
  --queue URL          with --servicex: send its file jobs to \`hepq worker\` processes over Redis (redis://…;
                       or HEPQ_QUEUE)
  --concurrency N      with --servicex, no queue: its file jobs at once (default 2)
  --reuse-results      with --servicex: answer a request equal to an earlier complete one with its id
  deprecated spellings (they warn): --servicex-data (--data-dir), --servicex-queue (--queue),
                       --servicex-allow-url-prefix (--allow-url-prefix)

examples:
  hepq serve --data-root /data/nanoaod --port 8080
  curl -s localhost:8080/sql -d "SELECT count(*) FROM root('run.root', 'Events') WHERE nMuon >= 2" -H 'content-type: text/plain'
  hepq serve --servicex --data-dir /var/lib/hepq --allow-url-prefix https://opendata.cern.ch/eos/opendata/
`;

/** Old spellings of options \`hepq servicex\` names differently: kept, with a warning. */
const ALIASES = {
  'servicex-data': 'data-dir',
  'servicex-queue': 'queue',
  'servicex-allow-url-prefix': 'allow-url-prefix',
} as const;

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
        ...URL_POLICY_OPTIONS,
        device: { type: 'string' },
        servicex: { type: 'boolean' },
        'data-dir': { type: 'string' },
        queue: { type: 'string' },
        concurrency: { type: 'string' },
        'reuse-results': { type: 'boolean' },
        'servicex-data': { type: 'string' },
        'servicex-queue': { type: 'string' },
        'servicex-allow-url-prefix': { type: 'string', multiple: true },
      },
    });
    applyAliases('serve', values, ALIASES, io);
    for (const o of ['data-dir', 'queue', 'concurrency', 'reuse-results'] as const)
      if (values[o] !== undefined && !values.servicex)
        throw new HepqError('cli/usage', `--${o} is an option of the ServiceX endpoint`, {
          hint: `add --servicex, or leave --${o} out`,
        });
    const allowUrlPrefixes = urlPrefixes(values) ?? [];
    const queue = values.servicex ? (values.queue ?? process.env.HEPQ_QUEUE) : undefined;
    const concurrency = nonNegativeInt(values.concurrency, 'concurrency');
    const device = deviceOption(values.device);
    const host = values.host ?? '127.0.0.1';
    const token = serverToken(values);
    const port = int(values.port, 'port', 8080); // checked before anything starts
    checkOpenHost('serve', host, token, values.insecure === true, io.err);
    const maxConcurrent = Math.max(1, int(values['max-concurrent'], 'max-concurrent', 32));
    const dataRoots = (values['data-root'] ?? [process.cwd()]).map((d) => resolve(d));
    const { app } = await buildServer({
      dataRoots,
      allowUrlPrefixes,
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
          dataDir: resolve(values['data-dir'] ?? 'servicex-data'),
          ...(queue ? { queue } : {}),
          ...(concurrency !== undefined ? { concurrency } : {}),
          reuseResults: values['reuse-results'] === true,
          inputRoots: dataRoots, // as the SQL routes
          allowUrlPrefixes,
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
