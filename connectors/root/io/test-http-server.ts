/** Test-only HTTP server over a folder: single-range GETs, HEAD, 416, and switches to misbehave like real servers. */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface TestServerOptions {
  /** Answer every GET with 200 and the whole file, as a server without Range support does. */
  readonly ignoreRange?: boolean;
  /** Answer HEAD with 405, as object stores with GET-only signed URLs do. */
  readonly noHead?: boolean;
  /** Paths under `/private/` need this Authorization header, else 403. */
  readonly token?: string;
}

export interface TestServer {
  readonly url: string;
  /** Requests received, as `METHOD path range`. */
  readonly log: string[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 with a random port, serving files of `root`. `/status/NNN` answers NNN. */
export async function startTestServer(root: string, options: TestServerOptions = {}): Promise<TestServer> {
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    log.push(`${req.method} ${path} ${req.headers.range ?? '-'}`);
    const status = /^\/status\/(\d{3})$/.exec(path);
    if (status) {
      res.statusCode = Number(status[1]);
      res.end('nope');
      return;
    }
    let rel = path;
    if (path.startsWith('/private/')) {
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        res.statusCode = 403;
        res.end();
        return;
      }
      rel = path.slice('/private'.length);
    }
    const file = normalize(join(root, rel));
    if (!file.startsWith(root)) {
      res.statusCode = 400;
      res.end();
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      res.statusCode = 404;
      res.end();
      return;
    }
    if (req.method === 'HEAD') {
      if (options.noHead) res.statusCode = 405;
      else res.setHeader('content-length', bytes.length);
      res.end();
      return;
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!m || options.ignoreRange) {
      res.setHeader('content-length', bytes.length);
      res.end(bytes);
      return;
    }
    const start = Number(m[1]);
    const end = Math.min(m[2] ? Number(m[2]) : bytes.length - 1, bytes.length - 1);
    if (start >= bytes.length) {
      res.statusCode = 416;
      res.setHeader('content-range', `bytes */${bytes.length}`);
      res.end();
      return;
    }
    res.statusCode = 206;
    res.setHeader('content-range', `bytes ${start}-${end}/${bytes.length}`);
    res.setHeader('content-length', end - start + 1);
    res.end(bytes.subarray(start, end + 1));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
