/** Dataset resolution: a `file-list`, or a `did` naming local files (paths, globs, file://) or http(s) URLs. */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { urlUnder } from '../../connectors/root/index.js';
import { globRegExp, HepqError } from '../../exec/core/index.js';

/** DID schemes a full ServiceX resolves through its DID finders and this service cannot. */
const REMOTE_SCHEMES = ['rucio', 'cernopendata', 'xrootd', 'root'];

/** Expand a local path with `*` / `?` in any of its segments (sorted, like a shell). */
export function expandGlob(pattern: string): string[] {
  const abs = resolve(pattern);
  if (!/[*?]/.test(abs)) return [abs];
  const parts = abs.split('/').filter((p) => p !== '');
  let paths = ['/'];
  for (const part of parts) {
    const next: string[] = [];
    if (!/[*?]/.test(part)) {
      for (const p of paths) next.push(join(p, part));
    } else {
      const re = globRegExp(part);
      for (const p of paths) {
        if (!existsSync(p) || !statSync(p).isDirectory()) continue;
        for (const name of readdirSync(p).sort()) if (re.test(name)) next.push(join(p, name));
      }
    }
    paths = next;
  }
  return paths.filter((p) => existsSync(p));
}

/** One dataset entry: an http(s) URL as is, a local path made absolute (globs expanded). */
function resolveEntry(entry: string, where: string): string[] {
  const e = entry.trim();
  if (/^https?:\/\//i.test(e)) return [e];
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(e)?.[1]?.toLowerCase();
  if (scheme === 'file') return resolveEntry(e.slice('file://'.length), where);
  if (scheme !== undefined || REMOTE_SCHEMES.some((s) => e.toLowerCase().startsWith(`${s}:`))) {
    const name = scheme ?? e.split(':')[0]!.toLowerCase();
    throw new HepqError(
      'servicex/did',
      `${where}: this service cannot resolve '${name}' datasets ('${e}'): it reads local files and http(s) URLs`,
      { hint: 'send the file URLs as "file-list", or a local path / glob / http(s) URL as "did"' },
    );
  }
  if (!/[*?]/.test(e)) return [isAbsolute(e) ? e : resolve(e)];
  const found = expandGlob(e);
  if (found.length === 0)
    throw new HepqError('servicex/did', `${where}: the glob '${e}' matches no file`, {
      hint: `check the folder ${dirname(resolve(e))} and the pattern ${basename(e)}`,
    });
  return found;
}

/**
 * The input files of a request, in order (repeats kept: each entry is one job). A `did` may hold several
 * entries separated by commas or whitespace; a `file-list` entry is taken whole.
 */
export function resolveDataset(did: string | undefined, fileList: readonly string[] | undefined): string[] {
  if (fileList !== undefined) {
    if (!Array.isArray(fileList) || fileList.some((f) => typeof f !== 'string' || f.trim() === ''))
      throw new HepqError('servicex/request', '"file-list" must be an array of non-empty strings');
    if (fileList.length === 0) throw new HepqError('servicex/request', '"file-list" is empty');
    return fileList.flatMap((f, i) => resolveEntry(f, `file-list[${i}]`));
  }
  if (did === undefined || did.trim() === '')
    throw new HepqError('servicex/request', 'a transformation needs a "did" or a "file-list"');
  const entries = did.split(/[\s,]+/).filter((x) => x !== '');
  return entries.flatMap((e) => resolveEntry(e, 'did'));
}

/** A short, unique, filesystem-safe output name for job `index` reading `input`. */
export function outputName(index: number, input: string, format: 'parquet' | 'root-file'): string {
  const base = (input.split(/[/\\]/).pop() ?? 'input').split('?')[0]!.replace(/\.root$/i, '');
  const safe = base.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || 'input';
  return `${String(index).padStart(4, '0')}_${safe}.${format === 'parquet' ? 'parquet' : 'root'}`;
}

/**
 * Refuse local inputs outside `roots` (compared after resolving symlinks, so a link cannot escape); URLs pass.
 * Without roots every local file the server can read is allowed.
 */
export function confineInputs(inputs: readonly string[], roots: readonly string[] | undefined): void {
  if (!roots?.length) return;
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
  const allowed = roots.map((r) => real(r));
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) continue;
    const p = real(input);
    if (!allowed.some((r) => p === r || p.startsWith(r.endsWith(sep) ? r : r + sep)))
      throw new HepqError('servicex/not-allowed', `input ${input} is outside the data roots of this server`, {
        hint: `allowed: ${roots.join(', ')}`,
      });
  }
}

/**
 * Refuse http(s) inputs that start with none of `prefixes` (none allowed by default). Every refused URL gets the
 * same message, whatever the target is, so the service cannot be used to probe hosts and ports.
 */
export function confineUrls(inputs: readonly string[], prefixes: readonly string[]): void {
  inputs.forEach((input, i) => {
    if (!/^https?:\/\//i.test(input)) return;
    if (prefixes.some((p) => urlUnder(input, p))) return;
    throw new HepqError('servicex/not-allowed', `input ${i}: this server does not read that URL`, {
      hint: 'the server operator allows URL inputs with --allow-url-prefix',
    });
  });
}
