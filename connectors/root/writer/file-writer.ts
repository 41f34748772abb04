/**
 * A ROOT file being written, front to back: the 64-bit file header, the TFile key and top directory, keys
 * appended as objects and baskets arrive, and at close the streamer infos, the key list and the free-segment
 * record, after which the header and directory are rewritten with the final positions.
 */
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { HepqError } from '../../../exec/batch/index.js';
import { WriteBuffer } from './buffer.js';
import { type Compression, compressRoot, compressSetting } from './compress.js';
import { type ClassDef, writeStreamerInfoList } from './streamers.js';

/** Where the TFile key (and with it the top directory) starts, as in every ROOT file. */
const BEGIN = 100;
/** The writing ROOT version stamped in the header (6.32/06) and the big-file flag. */
const ROOT_VERSION = 63206;
const BIG = 1000000;
/** Key version 4 + 1000: 64-bit seek fields. */
const KEY_VERSION = 1004;
/** TDirectory version 5 + 1000: 64-bit seek fields. */
const DIRECTORY_VERSION = 1005;
/** TBasket's class version in the basket header. */
const BASKET_VERSION = 3;
/** The bytes a basket adds after its key header: fVersion, fBufferSize, fNevBufSize, fNevBuf, fLast, flag. */
export const BASKET_HEADER = 2 + 4 + 4 + 4 + 4 + 1;

/** A fixed timestamp (2025-01-01 00:00:00 as a packed TDatime), so that equal inputs give byte-identical files. */
const DATIME = ((2025 - 1995) << 26) | (1 << 22) | (1 << 17);

export interface KeyInfo {
  readonly seek: number;
  readonly nbytes: number;
  readonly objlen: number;
  readonly keylen: number;
  readonly className: string;
  readonly name: string;
  readonly title: string;
  readonly cycle: number;
}

const strLen = (s: string) => {
  const n = Buffer.byteLength(s);
  return n < 255 ? 1 + n : 5 + n;
};

/** Length of a key header with 64-bit seeks. */
export function keyHeaderLength(className: string, name: string, title: string): number {
  return 4 + 2 + 4 + 4 + 2 + 2 + 8 + 8 + strLen(className) + strLen(name) + strLen(title);
}

function writeKeyHeader(b: WriteBuffer, k: KeyInfo, seekPdir: number): void {
  b.i32(k.nbytes);
  b.i16(KEY_VERSION);
  b.i32(k.objlen);
  b.u32(DATIME);
  b.i16(k.keylen);
  b.i16(k.cycle);
  b.i64(k.seek);
  b.i64(seekPdir);
  b.string(k.className);
  b.string(k.name);
  b.string(k.title);
}

/** A subdirectory being written: its key (and record) position, its parent's, and the keys it holds. */
export interface DirectoryHandle {
  readonly name: string;
  /** where its key starts (fSeekDir) */
  readonly seek: number;
  readonly keylen: number;
  readonly parentSeek: number;
  readonly keys: KeyInfo[];
}

export class RootFileWriter {
  readonly path: string;
  readonly compression: Compression;
  private fd: number;
  private pos = 0;
  private readonly fileName: string;
  private readonly keys: KeyInfo[] = [];
  private readonly dirs: DirectoryHandle[] = [];
  private readonly nbytesName: number;
  private closed = false;

  private constructor(path: string, fd: number, compression: Compression) {
    this.path = path;
    this.fd = fd;
    this.compression = compression;
    this.fileName = basename(path);
    this.nbytesName = keyHeaderLength('TFile', this.fileName, '') + strLen(this.fileName) + strLen('');
    this.writeFront(0, 0, 0, 0, 0, 0);
    this.pos = BEGIN + this.nbytesName + this.directoryRecordLength();
  }

  /** Create (or truncate) `path` and write the provisional header and top directory. */
  static create(path: string, compression: Compression): RootFileWriter {
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (err) {
      throw new HepqError('root/cannot-write', `cannot create ${path}: ${(err as Error).message}`, {
        location: { file: path },
        hint: 'check that the folder exists and is writable',
      });
    }
    return new RootFileWriter(path, fd, compression);
  }

  /** Bytes written so far (the current end of the file). */
  get size(): number {
    return this.pos;
  }

  private directoryRecordLength(): number {
    return 2 + 4 + 4 + 4 + 4 + 8 + 8 + 8 + 2 + 16;
  }

  private writeAt(bytes: Uint8Array, at: number): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, at + done);
  }

  private append(bytes: Uint8Array): number {
    const at = this.pos;
    this.writeAt(bytes, at);
    this.pos += bytes.length;
    return at;
  }

  /** The file header at 0 and the TFile key + directory record at BEGIN. */
  private writeFront(
    end: number,
    seekFree: number,
    nbytesFree: number,
    seekInfo: number,
    nbytesInfo: number,
    seekKeys: number,
    nbytesKeys = 0,
  ): void {
    const h = new WriteBuffer(BEGIN);
    h.raw(new TextEncoder().encode('root'));
    h.i32(BIG + ROOT_VERSION);
    h.i32(BEGIN);
    h.i64(end);
    h.i64(seekFree);
    h.i32(nbytesFree);
    h.i32(seekFree ? 1 : 0); // nfree
    h.i32(this.nbytesName);
    h.u8(8); // fUnits: 8-byte seeks
    h.i32(compressSetting(this.compression));
    h.i64(seekInfo);
    h.i32(nbytesInfo);
    h.u16(1); // UUID version
    h.zeros(16);
    h.zeros(BEGIN - h.pos);
    this.writeAt(h.bytes(), 0);

    const objlen = strLen(this.fileName) + strLen('') + this.directoryRecordLength();
    const keylen = keyHeaderLength('TFile', this.fileName, '');
    const d = new WriteBuffer(keylen + objlen);
    writeKeyHeader(
      d,
      {
        seek: BEGIN,
        nbytes: keylen + objlen,
        objlen,
        keylen,
        className: 'TFile',
        name: this.fileName,
        title: '',
        cycle: 1,
      },
      0,
    );
    d.string(this.fileName);
    d.string('');
    this.writeDirectoryRecord(d, BEGIN, 0, this.nbytesName, seekKeys, nbytesKeys);
    this.writeAt(d.bytes(), BEGIN);
  }

  /**
   * Append an object key: `fill` writes the object's bytes (reference tags count from the key start, so the
   * buffer's refOffset is the key length); the bytes are compressed with the file's setting.
   */
  writeObject(
    className: string,
    name: string,
    title: string,
    fill: (b: WriteBuffer) => void,
    listed = true,
    dir?: DirectoryHandle,
  ): KeyInfo {
    const keylen = keyHeaderLength(className, name, title);
    const body = new WriteBuffer(1 << 14);
    body.refOffset = keylen;
    fill(body);
    const raw = body.bytes();
    const stored = compressRoot(raw, this.compression);
    const key: KeyInfo = {
      seek: this.pos,
      nbytes: keylen + stored.length,
      objlen: raw.length,
      keylen,
      className,
      name,
      title,
      cycle: 1,
    };
    const head = new WriteBuffer(keylen);
    writeKeyHeader(head, key, dir ? dir.seek : BEGIN);
    this.append(head.bytes());
    this.append(stored);
    if (listed) (dir ? dir.keys : this.keys).push(key);
    return key;
  }

  /**
   * Append a subdirectory (a TDirectory key whose payload is the directory record, patched at close with its
   * key list) inside `parent` (default: the top directory).
   */
  mkdir(name: string, parent?: DirectoryHandle): DirectoryHandle {
    const keylen = keyHeaderLength('TDirectory', name, '');
    const objlen = this.directoryRecordLength();
    const key: KeyInfo = {
      seek: this.pos,
      nbytes: keylen + objlen,
      objlen,
      keylen,
      className: 'TDirectory',
      name,
      title: '',
      cycle: 1,
    };
    const dir: DirectoryHandle = {
      name,
      seek: key.seek,
      keylen,
      parentSeek: parent ? parent.seek : BEGIN,
      keys: [],
    };
    const b = new WriteBuffer(keylen + objlen);
    writeKeyHeader(b, key, dir.parentSeek);
    this.writeDirectoryRecord(b, dir.seek, dir.parentSeek, keylen, 0, 0);
    this.append(b.bytes());
    (parent ? parent.keys : this.keys).push(key);
    this.dirs.push(dir);
    return dir;
  }

  private writeDirectoryRecord(
    b: WriteBuffer,
    seekDir: number,
    seekParent: number,
    nbytesName: number,
    seekKeys: number,
    nbytesKeys: number,
  ): void {
    b.i16(DIRECTORY_VERSION);
    b.u32(DATIME);
    b.u32(DATIME);
    b.i32(nbytesKeys);
    b.i32(nbytesName);
    b.i64(seekDir);
    b.i64(seekParent);
    b.i64(seekKeys);
    b.u16(1); // UUID version
    b.zeros(16);
  }

  /** A directory's key list: a key header (the directory's own), the count, then every key header. */
  private writeKeyList(className: string, name: string, keys: readonly KeyInfo[], seekPdir: number): KeyInfo {
    const keylen = keyHeaderLength(className, name, '');
    const list = new WriteBuffer(1024);
    list.i32(keys.length);
    for (const k of keys) writeKeyHeader(list, k, seekPdir);
    const key: KeyInfo = {
      seek: this.pos,
      nbytes: keylen + list.pos,
      objlen: list.pos,
      keylen,
      className,
      name,
      title: '',
      cycle: 1,
    };
    const head = new WriteBuffer(keylen);
    writeKeyHeader(head, key, seekPdir);
    this.append(head.bytes());
    this.append(list.bytes());
    return key;
  }

  /**
   * Append one basket: `data` is the entry data, `offsets` (for variable-size entries) the start of each entry
   * within it. Returns the basket's key size and the uncompressed size, for the branch's bookkeeping.
   */
  writeBasket(
    branch: string,
    tree: string,
    data: Uint8Array,
    nevbuf: number,
    nevbufSize: number,
    offsets?: Int32Array,
  ): { seek: number; nbytes: number; objlen: number; keylen: number } {
    const keylen = keyHeaderLength('TBasket', branch, tree) + BASKET_HEADER;
    let payload = data;
    if (offsets) {
      payload = new Uint8Array(data.length + 4 + 4 * (nevbuf + 1));
      payload.set(data, 0);
      const view = new DataView(payload.buffer, payload.byteOffset + data.length);
      view.setInt32(0, nevbuf + 1);
      for (let i = 0; i < nevbuf; i++) view.setInt32(4 + 4 * i, offsets[i]! + keylen);
      view.setInt32(4 + 4 * nevbuf, 0);
    }
    const stored = compressRoot(payload, this.compression);
    const nbytes = keylen + stored.length;
    const seek = this.pos;
    const head = new WriteBuffer(keylen);
    writeKeyHeader(
      head,
      {
        seek,
        nbytes,
        objlen: payload.length,
        keylen,
        className: 'TBasket',
        name: branch,
        title: tree,
        cycle: 1,
      },
      BEGIN,
    );
    head.i16(BASKET_VERSION);
    head.i32(Math.max(32000, keylen + payload.length)); // fBufferSize
    head.i32(nevbufSize);
    head.i32(nevbuf);
    head.i32(keylen + data.length); // fLast
    head.i8(0); // flag: header only
    this.append(head.bytes());
    this.append(stored);
    return { seek, nbytes, objlen: payload.length, keylen };
  }

  /** Write the streamer infos, the key list and the free-segment record, then finalise header and directory. */
  close(classes: readonly ClassDef[]): void {
    if (this.closed) return;
    this.closed = true;
    try {
      const info = this.writeObject(
        'TList',
        'StreamerInfo',
        'Doubly linked list',
        (b) => writeStreamerInfoList(b, classes),
        false,
      );

      for (const dir of this.dirs) {
        const list = this.writeKeyList('TDirectory', dir.name, dir.keys, dir.seek);
        const rec = new WriteBuffer(this.directoryRecordLength());
        this.writeDirectoryRecord(rec, dir.seek, dir.parentSeek, dir.keylen, list.seek, list.nbytes);
        this.writeAt(rec.bytes(), dir.seek + dir.keylen);
      }
      const keysKey = this.writeKeyList('TFile', this.fileName, this.keys, BEGIN);
      const seekKeys = keysKey.seek;

      const seekFree = this.pos;
      const freeKeylen = keyHeaderLength('TFile', this.fileName, '');
      const big = seekFree > 2000000000 - 1000;
      const freeObjlen = big ? 2 + 16 : 2 + 8;
      const end = seekFree + freeKeylen + freeObjlen;
      const free = new WriteBuffer(freeKeylen + freeObjlen);
      writeKeyHeader(
        free,
        {
          seek: seekFree,
          nbytes: freeKeylen + freeObjlen,
          objlen: freeObjlen,
          keylen: freeKeylen,
          className: 'TFile',
          name: this.fileName,
          title: '',
          cycle: 1,
        },
        BEGIN,
      );
      if (big) {
        free.i16(1001);
        free.i64(end);
        free.i64(end + 2000000000);
      } else {
        free.i16(1);
        free.i32(end);
        free.i32(2000000000);
      }
      this.append(free.bytes());
      this.writeFront(
        end,
        seekFree,
        freeKeylen + freeObjlen,
        info.seek,
        info.nbytes,
        seekKeys,
        keysKey.nbytes,
      );
    } finally {
      closeSync(this.fd);
    }
  }

  /** Give up: close the descriptor and remove the unfinished file (it has no tree and no key list). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
