/** TFile: the file header (32- and 64-bit forms), the streamer infos, the root directory and object lookup by path. */
import { HepqError } from '../../exec/batch/index.js';
import { initCompression } from './compression/index.js';
import { Cursor } from './cursor.js';
import { Directory, readDirectoryRecord } from './directory.js';
import type { ByteSource } from './io/index.js';
import { readKey, readKeyPayload, type TKey } from './key.js';
import { treeModel } from './model/tree.js';
import { BUILTIN_STREAMERS } from './streamers/builtin.js';
import { ObjectReader, type RootObject } from './streamers/object-reader.js';
import { type StreamerInfo, StreamerRegistry } from './streamers/streamer-info.js';
import { RootTree } from './tree-reader.js';

export interface FileHeader {
  readonly version: number;
  readonly begin: number;
  readonly end: number;
  readonly seekFree: number;
  readonly nbytesName: number;
  readonly units: number;
  readonly compress: number;
  readonly seekInfo: number;
  readonly nbytesInfo: number;
  /** True for the 64-bit ("big file") header, fVersion > 1000000. */
  readonly big: boolean;
}

const HEADER_READ = 512;

export const TREE_CLASSES = new Set(['TTree', 'TNtuple', 'TNtupleD']);

export class RootFile {
  readonly source: ByteSource;
  readonly header: FileHeader;
  readonly root: Directory;
  readonly streamers: StreamerRegistry;
  readonly reader: ObjectReader;
  /** Trees already deserialised, by the path they were asked for. */
  private readonly trees = new Map<string, Promise<RootTree>>();

  private constructor(source: ByteSource, header: FileHeader, root: Directory, streamers: StreamerRegistry) {
    this.source = source;
    this.header = header;
    this.root = root;
    this.streamers = streamers;
    this.reader = new ObjectReader(streamers);
  }

  get name(): string {
    return this.source.name;
  }

  /** ROOT version that wrote the file, e.g. "6.20/04". */
  get rootVersion(): string {
    const v = this.header.version % 1000000;
    return `${Math.floor(v / 10000)}.${String(Math.floor(v / 100) % 100).padStart(2, '0')}/${String(v % 100).padStart(2, '0')}`;
  }

  static async open(source: ByteSource): Promise<RootFile> {
    await initCompression();
    const size = await source.size();
    const head = await source.read(0, Math.min(size, HEADER_READ));
    const c = new Cursor(head, { file: source.name, object: '(file header)', base: 0 });
    if (head.length < 4 || head[0] !== 0x72 || head[1] !== 0x6f || head[2] !== 0x6f || head[3] !== 0x74) {
      throw new HepqError(
        'root/not-root',
        `${source.name} is not a ROOT file (it does not start with "root")`,
        {
          location: { file: source.name, offset: 0 },
          hint: 'hepq reads ROOT files (TTree, histograms); Parquet and Arrow files go through `hepq sql`',
        },
      );
    }
    c.pos = 4;
    const version = c.i32();
    const begin = c.i32();
    const big = version >= 1000000;
    const end = big ? c.i64() : c.i32();
    const seekFree = big ? c.i64() : c.i32();
    c.i32(); // nbytesFree
    c.i32(); // nfree
    const nbytesName = c.i32();
    const units = c.u8();
    const compress = c.i32();
    const seekInfo = big ? c.i64() : c.i32();
    const nbytesInfo = c.i32();
    const header: FileHeader = {
      version,
      begin,
      end,
      seekFree,
      nbytesName,
      units,
      compress,
      seekInfo,
      nbytesInfo,
      big,
    };
    if (begin <= 0 || begin >= size) {
      throw c.error(
        'root/bad-header',
        `the header's fBEGIN (${begin}) lies outside the file of ${size} bytes`,
        8,
      );
    }
    if (end > size) {
      throw new HepqError(
        'root/truncated-file',
        `${source.name} is truncated: the header says it ends at byte ${end} but it has ${size} bytes`,
        {
          location: { file: source.name, object: '(file header)', offset: size },
          hint: 'the file was cut short (an incomplete download or copy?)',
        },
      );
    }
    // The TFile key at fBEGIN is followed by the name/title and then the top directory record.
    const dirBytes = await source.read(begin, Math.min(size - begin, nbytesName + 64));
    const dc = new Cursor(dirBytes, { file: source.name, object: '/', base: begin });
    if (nbytesName < 0 || nbytesName >= dirBytes.length)
      throw c.error(
        'root/bad-header',
        `the header's fNbytesName (${nbytesName}) puts the top directory outside the file of ${size} bytes`,
        big ? 36 : 28,
      );
    dc.pos = nbytesName;
    const rec = readDirectoryRecord(dc);
    const root = await Directory.read(source, '', rec);
    const streamers = await readStreamers(source, header);
    return new RootFile(source, header, root, streamers);
  }

  /** The directory at a slash-separated path ('' for the top). */
  async directory(path: string): Promise<Directory> {
    let dir = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      const key = dir.key(part);
      if (!dir.isDirectory(key)) {
        throw new HepqError(
          'root/not-a-directory',
          `'${part}' in ${this.name} is a ${key.className}, not a directory`,
          {
            location: { file: this.name, object: path },
          },
        );
      }
      dir = await dir.subdirectory(key);
    }
    return dir;
  }

  /** The key of an object by path, e.g. `one/two/tree` or `hpx;1`. */
  async key(path: string): Promise<{ key: TKey; dir: Directory }> {
    const parts = path.split('/').filter(Boolean);
    if (!parts.length) throw new HepqError('root/no-such-object', `empty object path in ${this.name}`);
    const dir = await this.directory(parts.slice(0, -1).join('/'));
    return { key: dir.key(parts[parts.length - 1]!), dir };
  }

  /** Read and deserialise the object a key points to. */
  async readObject(key: TKey, path: string): Promise<RootObject> {
    const payload = await readKeyPayload(this.source, key, path);
    const c = new Cursor(payload, {
      file: this.name,
      object: path,
      base: key.seekKey + key.keylen,
      decompressed: payload.length !== key.nbytes - key.keylen,
    });
    c.refOffset = key.keylen;
    return this.reader.readClass(c, key.className);
  }

  async get(path: string): Promise<RootObject> {
    const { key } = await this.key(path);
    return this.readObject(key, path.replace(/;\d+$/, ''));
  }

  /** Every object of the file, depth first: path (with directories), key. */
  async walk(): Promise<{ path: string; key: TKey }[]> {
    const out: { path: string; key: TKey }[] = [];
    const visit = async (dir: Directory, prefix: string) => {
      for (const key of dir.latestKeys()) {
        const path = prefix ? `${prefix}/${key.name}` : key.name;
        if (dir.isDirectory(key)) await visit(await dir.subdirectory(key), path);
        else out.push({ path, key });
      }
    };
    await visit(this.root, '');
    return out;
  }

  /** Open a TTree (or TNtuple) by path, e.g. `Events` or `one/two/tree;1`. */
  tree(path: string): Promise<RootTree> {
    let p = this.trees.get(path);
    if (!p) {
      p = this.loadTree(path);
      this.trees.set(path, p);
      p.catch(() => this.trees.delete(path));
    }
    return p;
  }

  private async loadTree(path: string): Promise<RootTree> {
    const { key } = await this.key(path);
    const clean = path.replace(/;\d+$/, '');
    if (!TREE_CLASSES.has(key.className)) {
      throw new HepqError(
        'root/not-a-tree',
        `'${clean}' in ${this.name} is a ${key.className}, not a TTree`,
        {
          location: { file: this.name, object: clean },
          hint: `trees in this file: ${
            (await this.walk())
              .filter((o) => TREE_CLASSES.has(o.key.className))
              .map((o) => o.path)
              .join(', ') || 'none'
          }`,
        },
      );
    }
    return new RootTree(this, clean, treeModel(await this.readObject(key, clean)));
  }

  async close(): Promise<void> {
    await this.source.close();
  }
}

async function readStreamers(source: ByteSource, header: FileHeader): Promise<StreamerRegistry> {
  const registry = new StreamerRegistry(BUILTIN_STREAMERS);
  if (header.seekInfo <= 0 || header.nbytesInfo <= 0) return registry;
  const size = await source.size();
  if (header.seekInfo + header.nbytesInfo > size) {
    throw new HepqError('root/key-past-end', `the streamer-info record lies past the end of ${source.name}`, {
      location: { file: source.name, object: 'StreamerInfo', offset: header.seekInfo },
    });
  }
  const head = await source.read(header.seekInfo, header.nbytesInfo);
  const key = readKey(new Cursor(head, { file: source.name, object: 'StreamerInfo', base: header.seekInfo }));
  const payload = await readKeyPayload(source, { ...key, seekKey: header.seekInfo }, 'StreamerInfo');
  const c = new Cursor(payload, {
    file: source.name,
    object: 'StreamerInfo',
    base: header.seekInfo + key.keylen,
    decompressed: true,
  });
  c.refOffset = key.keylen;
  const list = new ObjectReader(registry).readClass(c, 'TList');
  for (const item of (list.arr as (RootObject | null)[]) ?? []) {
    if (item?._class === 'TStreamerInfo') registry.add(item.info as StreamerInfo);
  }
  return registry;
}
