/** Picks the byte source for a path or URL: local paths and file: URLs, http: and https: URLs. */
import { fileURLToPath } from 'node:url';
import { HepqError } from '../../../exec/core/index.js';
import type { ByteSource } from './byte-source.js';
import { FileSource } from './file-source.js';
import { HttpSource, type HttpSourceOptions } from './http-source.js';

/**
 * Opens `pathOrUrl` for random access. A local file is opened (and checked) at once; an http(s) URL
 * makes no request until the first `read`/`size`, whose errors name the URL.
 */
export async function openByteSource(
  pathOrUrl: string,
  options: HttpSourceOptions = {},
): Promise<ByteSource> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(pathOrUrl)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    if (!URL.canParse(pathOrUrl)) {
      throw new HepqError('io/bad-url', `not a valid URL: ${pathOrUrl}`, { location: { file: pathOrUrl } });
    }
    return new HttpSource(pathOrUrl, options);
  }
  if (scheme === 'file') return FileSource.open(fileURLToPath(pathOrUrl), options);
  if (scheme !== undefined && scheme.length > 1 && pathOrUrl.startsWith(`${scheme}://`, 0)) {
    throw new HepqError('io/unsupported-scheme', `cannot read ${scheme}:// URLs: ${pathOrUrl}`, {
      location: { file: pathOrUrl },
      hint: 'hepq reads local paths, file:, http: and https: URLs (XRootD and S3 storage usually offer an HTTPS endpoint)',
    });
  }
  return FileSource.open(pathOrUrl, options);
}
