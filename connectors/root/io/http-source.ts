/**
 * A byte source over an http(s) URL: one `Range: bytes=a-b` GET per (coalesced) read, via node's fetch. Redirects
 * are followed by hand, each target checked against the `redirectPrefixes` policy (which the URL itself must
 * pass too).
 */
import { HepqError } from '../../../exec/core/index.js';
import { BaseByteSource, type ByteSourceOptions } from './byte-source.js';
import { MAX_REDIRECTS, redirectAllowed } from './url-policy.js';

export interface HttpSourceOptions extends ByteSourceOptions {
  /**
   * A server that ignores `Range` answers 200 with the whole file: it is then downloaded once and kept in
   * memory for all later reads, unless its Content-Length exceeds this many bytes (default 1 GiB).
   */
  readonly maxFullDownload?: number;
}

const DEFAULT_MAX_FULL_DOWNLOAD = 1024 * 1024 * 1024;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Headers that carry the caller's credentials: dropped when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.has(k.toLowerCase())),
  );
}

/**
 * Reads ranges with ranged GETs (no request at construction). The size comes from a HEAD's
 * Content-Length, from the `/total` of any ranged response's Content-Range, or a `bytes=0-0` GET.
 */
export class HttpSource extends BaseByteSource {
  protected override readonly concurrency = 6;
  private readonly headers: Record<string, string>;
  private readonly maxFullDownload: number;
  private readonly redirectPrefixes: readonly string[] | undefined;
  private knownSize: number | undefined;
  /** The whole file, once a server has ignored Range. */
  private full: Uint8Array | undefined;

  constructor(
    private readonly url: string,
    options: HttpSourceOptions = {},
  ) {
    super(displayName(url), options);
    this.headers = { ...options.headers, 'accept-encoding': 'identity' };
    this.maxFullDownload = options.maxFullDownload ?? DEFAULT_MAX_FULL_DOWNLOAD;
    this.redirectPrefixes = options.redirectPrefixes;
    // Under a policy the URL itself must lie under a prefix too, or the prefixes would bound only the redirects.
    if (this.redirectPrefixes !== undefined && !redirectAllowed(url, this.redirectPrefixes))
      throw new HepqError('io/url-refused', `${this.name} is not under the allowed URL prefixes`, {
        location: { file: this.name },
        // The prefixes are not listed: a transformer's client should not learn its operator's configuration.
        hint: 'URL inputs must lie under a prefix given with --allow-url-prefix',
      });
  }

  /** Whether the server turned out to ignore Range requests (the file is then held in memory). */
  get rangeUnsupported(): boolean {
    return this.full !== undefined;
  }

  async size(): Promise<number> {
    if (this.full) return this.full.length;
    if (this.knownSize !== undefined) return this.knownSize;
    this.checkRange(0, 0);
    const head = await this.request('HEAD');
    const length = head.ok ? head.headers.get('content-length') : null;
    if (length !== null && /^\d+$/.test(length)) {
      this.knownSize = Number(length);
      return this.knownSize;
    }
    // No usable HEAD (some object stores sign GET only): ask for the first byte instead.
    const res = await this.request('GET', 'bytes=0-0');
    if (res.status === 206) {
      await discard(res);
      const total = parseContentRange(res.headers.get('content-range'))?.total;
      if (total !== undefined) {
        this.knownSize = total;
        return total;
      }
      throw this.badResponse(0, 'a ranged response without the total size in Content-Range');
    }
    if (res.status === 200) return (await this.downloadAll(res, 0)).length;
    throw await this.statusError(res, 0);
  }

  protected async readRange(offset: number, length: number): Promise<Uint8Array> {
    if (this.full) return this.slice(this.full, offset, length);
    if (this.knownSize !== undefined && offset + length > this.knownSize) {
      throw this.shortRead(offset, length, Math.max(0, this.knownSize - offset), this.knownSize);
    }
    const res = await this.request('GET', `bytes=${offset}-${offset + length - 1}`);
    if (res.status === 206) {
      const range = parseContentRange(res.headers.get('content-range'));
      if (range?.total !== undefined) this.knownSize = range.total;
      if (range && range.start !== offset) {
        await discard(res);
        throw this.badResponse(offset, `bytes from ${range.start} instead of ${offset}`);
      }
      if (res.headers.get('content-type')?.startsWith('multipart/')) {
        await discard(res);
        throw this.badResponse(offset, 'a multipart response to a single-range request');
      }
      const body = await this.body(res, offset);
      if (body.length < length) throw this.shortRead(offset, length, body.length, this.knownSize);
      return body.length === length ? body : body.subarray(0, length);
    }
    if (res.status === 200) return this.slice(await this.downloadAll(res, offset), offset, length);
    if (res.status === 416) {
      await discard(res);
      const total = parseContentRange(res.headers.get('content-range'))?.total;
      if (total !== undefined) this.knownSize = total;
      throw this.shortRead(offset, length, 0, total);
    }
    throw await this.statusError(res, offset);
  }

  protected async release(): Promise<void> {
    this.full = undefined;
  }

  private slice(all: Uint8Array, offset: number, length: number): Uint8Array {
    const got = Math.max(0, Math.min(length, all.length - offset));
    if (got < length) throw this.shortRead(offset, length, got, all.length);
    return all.subarray(offset, offset + length);
  }

  /** Keeps a 200 (whole-file) body for all later reads, within `maxFullDownload`. */
  private async downloadAll(res: Response, offset: number): Promise<Uint8Array> {
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (declared > this.maxFullDownload) {
      await discard(res);
      throw new HepqError(
        'io/range-unsupported',
        `${this.name} ignores HTTP Range requests and is ${declared} bytes, more than the ${this.maxFullDownload} bytes hepq downloads whole`,
        {
          location: { file: this.name, offset },
          hint: 'download the file first, use a server that supports Range, or raise maxFullDownload',
        },
      );
    }
    const body = await this.body(res, offset);
    this.full ??= body;
    return this.full;
  }

  private async body(res: Response, offset: number): Promise<Uint8Array> {
    let buf: ArrayBuffer;
    try {
      buf = await res.arrayBuffer();
    } catch (err) {
      this.signal?.throwIfAborted();
      throw this.networkError(err, offset);
    }
    this.stats.bytesRead += buf.byteLength;
    return new Uint8Array(buf);
  }

  /** One request, its redirects followed by hand: each target must pass the redirect policy. */
  private async request(method: 'GET' | 'HEAD', range?: string): Promise<Response> {
    this.signal?.throwIfAborted();
    const offset = range ? Number(range.slice(6, range.indexOf('-'))) : undefined;
    let url = this.url;
    let headers = range ? { ...this.headers, range } : this.headers;
    for (let hops = 0; ; hops++) {
      this.stats.requests++;
      let res: Response;
      try {
        res = await fetch(url, { method, headers, signal: this.signal, redirect: 'manual' });
      } catch (err) {
        this.signal?.throwIfAborted();
        throw this.networkError(err, offset);
      }
      const location = REDIRECT_STATUS.has(res.status) ? res.headers.get('location') : null;
      if (location === null) return res;
      await discard(res);
      let target: URL | undefined;
      try {
        target = new URL(location, url);
      } catch {
        target = undefined;
      }
      if (target === undefined || !redirectAllowed(target.href, this.redirectPrefixes))
        throw this.redirectError('io/redirect-refused', target, offset);
      if (hops >= MAX_REDIRECTS) throw this.redirectError('io/too-many-redirects', target, offset);
      // Credentials were meant for the origin the caller named: never hand them to another one.
      if (target.origin !== new URL(url).origin) headers = withoutCredentials(headers);
      url = target.href;
    }
  }

  private redirectError(code: string, target: URL | undefined, offset: number | undefined): HepqError {
    const where = { file: this.name, ...(offset === undefined ? {} : { offset }) };
    if (code === 'io/too-many-redirects')
      return new HepqError(code, `${this.name} redirects more than ${MAX_REDIRECTS} times in a row`, {
        location: where,
        hint: 'the server redirects in a loop, or through too many hops: use the final URL',
      });
    const to = target ? displayName(target.href) : 'a malformed location';
    return new HepqError(code, `${this.name} redirects to ${to}, which this reader may not follow`, {
      location: where,
      // The prefixes are not listed: a transformer's client should not learn its operator's configuration.
      hint:
        this.redirectPrefixes === undefined
          ? 'only http(s) redirects are followed'
          : 'redirects are followed only to URLs under the allowed prefixes (--allow-url-prefix)',
    });
  }

  private networkError(err: unknown, offset: number | undefined): HepqError {
    const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    return new HepqError('io/network-error', `cannot read ${this.name}: ${why}`, {
      location: { file: this.name, offset },
      hint: 'check the URL, the network and that the server is up',
      cause: err,
    });
  }

  private async statusError(res: Response, offset: number): Promise<HepqError> {
    await discard(res);
    const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    const location = { file: this.name, offset };
    if (res.status === 404 || res.status === 410) {
      return new HepqError('io/not-found', `${status}: ${this.name} does not exist on the server`, {
        location,
        hint: 'check the URL',
      });
    }
    if (res.status === 401 || res.status === 403) {
      return new HepqError('io/forbidden', `${status}: not allowed to read ${this.name}`, {
        location,
        hint: 'pass credentials with the headers option (e.g. Authorization: Bearer …)',
      });
    }
    return new HepqError('io/http-error', `${status} while reading ${this.name}`, { location });
  }

  private badResponse(offset: number, what: string): HepqError {
    return new HepqError('io/bad-response', `${this.name} answered a Range request with ${what}`, {
      location: { file: this.name, offset },
      hint: 'the server (or a proxy in between) mishandles HTTP Range requests',
    });
  }
}

/** `bytes a-b/total`, `bytes a-b/*` or `bytes *\/total`. */
export function parseContentRange(
  value: string | null,
): { start?: number; end?: number; total?: number } | undefined {
  const m = value ? /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(value.trim()) : null;
  if (!m) return undefined;
  return {
    start: m[1] === undefined ? undefined : Number(m[1]),
    end: m[2] === undefined ? undefined : Number(m[2]),
    total: m[3] === '*' ? undefined : Number(m[3]),
  };
}

/** The URL without credentials or query string (which may hold tokens), for messages. */
export function displayName(url: string): string {
  try {
    const u = new URL(url);
    const elided = u.search ? '?…' : '';
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString() + elided;
  } catch {
    return url;
  }
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // the connection is going away anyway
  }
}
