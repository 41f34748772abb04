/**
 * A local HTTP host serving one file's bytes at any path ending in `.root` (HEAD, single ranges), where a
 * `redirect` rule may answer 302 first: for tests of the redirect policy of URL inputs. It logs every request
 * as `METHOD path authorization-or-dash`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RedirectHost {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `METHOD path authorization-or-dash` per request received. */
  readonly log: string[];
  readonly server: Server;
  close(): void;
}

export async function startRedirectHost(
  file: string,
  redirect: (path: string) => string | undefined,
): Promise<RedirectHost> {
  const bytes = readFileSync(file);
  const log: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    log.push(`${req.method} ${path} ${req.headers.authorization ?? '-'}`);
    const to = redirect(path);
    if (to !== undefined) {
      res.writeHead(302, { location: to });
      res.end('moved');
      return;
    }
    if (!path.endsWith('.root')) {
      res.writeHead(404);
      res.end();
      return;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'content-length': bytes.length });
      res.end();
      return;
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (!m) {
      res.writeHead(200, { 'content-length': bytes.length });
      res.end(bytes);
      return;
    }
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), bytes.length - 1);
    res.writeHead(206, {
      'content-range': `bytes ${start}-${end}/${bytes.length}`,
      'content-length': end - start + 1,
    });
    res.end(bytes.subarray(start, end + 1));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    server,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
