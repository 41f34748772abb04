/**
 * Which files SQL may name: anything (CLI, library), or only files under configured data roots (server), and
 * http(s) URLs under its allowed URL prefixes. Relative names resolve against the first root; symbolic links
 * are followed before the check.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { urlUnder } from '../../connectors/root/index.js';
import { HepqError } from '../../exec/batch/index.js';

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * A resolver confining file names to `roots` (absolute or relative to the working directory); an http(s) URL
 * passes when it lies under one of `urlPrefixes` (its reader then holds its redirects to them too).
 */
export function confineTo(
  roots: readonly string[],
  urlPrefixes: readonly string[] = [],
): (file: string) => string {
  const real = roots.map((r) => realpathSync(resolve(r)));
  if (real.length === 0) throw new HepqError('sql/no-data-root', 'give at least one data root');
  return (file) => {
    if (/^https?:\/\//i.test(file) && urlPrefixes.some((p) => urlUnder(file, p))) return file;
    if (URL_RE.test(file) && !file.startsWith('file://'))
      throw new HepqError('sql/file-refused', `${file}: only files under the data roots may be read here`, {
        hint: 'the server operator allows URL inputs with --allow-url-prefix',
      });
    const name = file.startsWith('file://') ? decodeURIComponent(file.slice(7)) : file;
    const path = resolve(real[0]!, name);
    let target: string;
    try {
      target = realpathSync(path);
    } catch {
      if (!real.some((r) => inside(r, path)))
        throw new HepqError('sql/file-refused', `${file} is outside the data roots`, {
          hint: 'files must lie under the data roots (relative names start at the first root)',
        });
      throw new HepqError('sql/no-such-file', `no such file: ${file}`, { location: { file } });
    }
    if (!real.some((r) => inside(r, target)))
      throw new HepqError('sql/file-refused', `${file} is outside the data roots`, {
        hint: 'files must lie under the data roots (relative names start at the first root)',
      });
    return target;
  };
}

/** The resolver of trusted callers: local paths as given, file:// stripped, URLs passed on. */
export function anyFile(file: string): string {
  return file.startsWith('file://') ? decodeURIComponent(file.slice(7)) : file;
}

/** The real paths of the roots (what DuckDB's allowed_directories gets). */
export function realRoots(roots: readonly string[]): string[] {
  return roots.map((r) => realpathSync(resolve(r)));
}
