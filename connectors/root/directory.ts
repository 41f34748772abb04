/** TDirectory: the key list of a directory, lookup by path and cycle (`a/b/name;2`), and subdirectories. */
import { didYouMean, HepqError } from '../../exec/batch/index.js';
import { Cursor } from './cursor.js';
import type { ByteSource } from './io/index.js';
import { MAX_KEY_HEADER, readKey, type TKey } from './key.js';

export interface DirectoryRecord {
  readonly version: number;
  readonly nbytesKeys: number;
  readonly nbytesName: number;
  readonly seekDir: number;
  readonly seekParent: number;
  readonly seekKeys: number;
}

/** Parse the TDirectory streamer record (as stored after the TFile/TDirectory key name). */
export function readDirectoryRecord(c: Cursor): DirectoryRecord {
  const version = c.i16();
  c.u32(); // datime created
  c.u32(); // datime modified
  const nbytesKeys = c.i32();
  const nbytesName = c.i32();
  const big = version > 1000;
  const seekDir = big ? c.i64() : c.i32();
  const seekParent = big ? c.i64() : c.i32();
  const seekKeys = big ? c.i64() : c.i32();
  return { version, nbytesKeys, nbytesName, seekDir, seekParent, seekKeys };
}

const DIRECTORY_CLASSES = new Set(['TDirectory', 'TDirectoryFile']);

export class Directory {
  readonly path: string;
  readonly keys: readonly TKey[];
  private readonly source: ByteSource;
  private readonly subdirs = new Map<string, Promise<Directory>>();

  constructor(source: ByteSource, path: string, keys: readonly TKey[]) {
    this.source = source;
    this.path = path;
    this.keys = keys;
  }

  /** Read the key list of a directory whose record is known. */
  static async read(source: ByteSource, path: string, rec: DirectoryRecord): Promise<Directory> {
    if (rec.seekKeys <= 0) return new Directory(source, path, []);
    const size = await source.size();
    if (rec.seekKeys + rec.nbytesKeys > size || rec.nbytesKeys < 0) {
      throw new HepqError(
        'root/key-past-end',
        `the key list of directory '${path || '/'}' lies past the end of the file`,
        {
          location: { file: source.name, object: path || '/', offset: rec.seekKeys },
          hint: 'the file is truncated or was not closed properly',
        },
      );
    }
    const buf = await source.read(rec.seekKeys, rec.nbytesKeys);
    const c = new Cursor(buf, { file: source.name, object: path || '/', base: rec.seekKeys });
    readKey(c); // the directory's own key
    const n = c.i32();
    if (n < 0 || n > buf.length)
      throw c.error('root/bad-directory', `directory '${path || '/'}' claims ${n} keys`);
    const keys: TKey[] = [];
    for (let i = 0; i < n; i++) keys.push(readKey(c));
    return new Directory(source, path, keys);
  }

  /** Keys with the highest cycle of each name, in file order. */
  latestKeys(): TKey[] {
    const best = new Map<string, TKey>();
    for (const k of this.keys) {
      const cur = best.get(k.name);
      if (!cur || k.cycle > cur.cycle) best.set(k.name, k);
    }
    return this.keys.filter((k) => best.get(k.name) === k);
  }

  isDirectory(key: TKey): boolean {
    return DIRECTORY_CLASSES.has(key.className);
  }

  /** The subdirectory a key names. */
  subdirectory(key: TKey): Promise<Directory> {
    const childPath = this.path ? `${this.path}/${key.name}` : key.name;
    let p = this.subdirs.get(`${key.name};${key.cycle}`);
    if (!p) {
      p = (async () => {
        const head = await this.source.read(key.seekKey, Math.min(key.nbytes, MAX_KEY_HEADER + 64));
        const c = new Cursor(head, { file: this.source.name, object: childPath, base: key.seekKey });
        c.pos = key.keylen;
        return Directory.read(this.source, childPath, readDirectoryRecord(c));
      })();
      this.subdirs.set(`${key.name};${key.cycle}`, p);
    }
    return p;
  }

  /** Find the key of `name` or `name;cycle` in this directory, with a "did you mean" error when absent. */
  key(nameWithCycle: string): TKey {
    const m = /^(.*?)(?:;(\d+))?$/.exec(nameWithCycle)!;
    const name = m[1]!;
    const cycle = m[2] === undefined ? undefined : Number(m[2]);
    let found: TKey | undefined;
    for (const k of this.keys) {
      if (k.name !== name) continue;
      if (cycle !== undefined ? k.cycle === cycle : !found || k.cycle > found.cycle) found = k;
    }
    if (!found) {
      const names = [...new Set(this.keys.map((k) => k.name))];
      const guess = didYouMean(name, names);
      const cycles = this.keys.filter((k) => k.name === name).map((k) => k.cycle);
      throw new HepqError(
        'root/no-such-object',
        cycles.length
          ? `'${name}' has no cycle ${cycle} in ${this.path || '/'} (cycles: ${cycles.join(', ')})`
          : `no object '${name}' in ${this.path || '/'} of ${this.source.name}`,
        {
          location: { file: this.source.name, object: this.path || '/' },
          hint: guess
            ? `did you mean '${guess}'? (objects here: ${names.slice(0, 20).join(', ')})`
            : `objects here: ${names.slice(0, 20).join(', ') || 'none'}`,
        },
      );
    }
    return found;
  }
}
