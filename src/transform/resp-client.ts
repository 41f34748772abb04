/**
 * A minimal Redis client (RESP2 over one TCP socket, pipelined) with the surface BullMQ's built-in adapter for
 * Bun's `RedisClient` drives: `send(command, args)`, `connect()`, `close()`, `connected`, `onconnect` /
 * `onclose`, `duplicate()`. BullMQ 6 no longer bundles a Redis driver (ioredis is an optional peer that is
 * not installed here); this keeps the queue on BullMQ's own scripts, locks, retries and stalled-job checks.
 * Reconnection is the adapter's job: a closed client is replaced by a fresh `duplicate()`.
 */
import { createConnection, type Socket } from 'node:net';
import { HepqError } from '../../exec/batch/index.js';

type Reply = string | number | null | Error | Reply[];

/** Parse one RESP2 value at `at`; undefined when the buffer does not hold all of it yet. */
function parseReply(buf: Buffer, at: number): { value: Reply; next: number } | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const line = buf.toString('utf8', at + 1, eol);
  const after = eol + 2;
  switch (buf[at]) {
    case 0x2b: // +
      return { value: line, next: after };
    case 0x2d: // -
      return { value: new Error(line), next: after };
    case 0x3a: // :
      return { value: Number(line), next: after };
    case 0x24: {
      // $
      const n = Number(line);
      if (n < 0) return { value: null, next: after };
      if (buf.length < after + n + 2) return undefined;
      return { value: buf.toString('utf8', after, after + n), next: after + n + 2 };
    }
    case 0x2a: {
      // *
      const n = Number(line);
      if (n < 0) return { value: null, next: after };
      const items: Reply[] = [];
      let pos = after;
      for (let i = 0; i < n; i++) {
        const item = parseReply(buf, pos);
        if (!item) return undefined;
        items.push(item.value);
        pos = item.next;
      }
      return { value: items, next: pos };
    }
    default:
      throw new HepqError('servicex/redis', `unexpected Redis reply byte ${buf[at]}`);
  }
}

function encodeCommand(command: string, args: readonly unknown[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length + 1}\r\n`)];
  for (const a of [command, ...args]) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(a === undefined || a === null ? '' : String(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RespClient {
  readonly url: string;
  connected = false;
  onconnect: (() => void) | undefined;
  onclose: ((err?: Error) => void) | undefined;
  onerror: ((err: Error) => void) | undefined;
  private socket: Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve(v: Reply): void; reject(e: Error): void }> = [];
  /** Every client of one owner (this one and its duplicates), so the owner can close them all. */
  readonly family: Set<RespClient>;

  constructor(url: string, family: Set<RespClient> = new Set()) {
    this.url = url;
    this.family = family;
    family.add(this);
  }

  connect(): Promise<void> {
    const u = new URL(this.url);
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
      this.socket = socket;
      socket.setNoDelay(true);
      let opened = false;
      socket.once('connect', async () => {
        opened = true;
        this.connected = true;
        try {
          if (u.password) {
            const user = decodeURIComponent(u.username);
            await this.send(
              'AUTH',
              user ? [user, decodeURIComponent(u.password)] : [decodeURIComponent(u.password)],
            );
          }
          const db = u.pathname.replace(/^\//, '');
          if (db) await this.send('SELECT', [db]);
        } catch (e) {
          socket.destroy();
          return reject(e);
        }
        resolve();
        this.onconnect?.();
      });
      socket.on('data', (d) => this.onData(d));
      socket.on('error', (e) => {
        if (!opened) reject(e);
        else this.onerror?.(e);
      });
      socket.on('close', () => {
        const was = this.connected;
        this.connected = false;
        const err = new Error('Connection closed');
        for (const w of this.waiting.splice(0)) w.reject(err);
        this.buffer = Buffer.alloc(0);
        // Reported without an error: the adapter then reconnects quietly instead of emitting 'error'
        // on emitters nobody listens to (a lost connection is expected when Redis restarts).
        if (was || opened) this.onclose?.();
      });
    });
  }

  private onData(d: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, d]) : d;
    let pos = 0;
    for (;;) {
      const r = parseReply(this.buffer, pos);
      if (!r) break;
      pos = r.next;
      const w = this.waiting.shift();
      if (!w) continue;
      if (r.value instanceof Error) w.reject(r.value);
      else w.resolve(r.value);
    }
    this.buffer = pos >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(pos);
  }

  /** Send one command; resolves with its reply (errors inside arrays stay Error values, as in EXEC). */
  send(command: string, args: readonly unknown[] = []): Promise<Reply> {
    if (!this.connected || !this.socket) return Promise.reject(new Error('Connection is closed.'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket!.write(encodeCommand(command, args));
    });
  }

  close(): void {
    this.socket?.destroy();
    this.family.delete(this);
  }

  /** Close this client and every duplicate made from it. */
  closeFamily(): void {
    for (const c of [...this.family]) c.close();
  }

  /** Same as `close` (BullMQ recognises a client instance by connect / disconnect / duplicate). */
  disconnect(): void {
    this.close();
  }

  async duplicate(): Promise<RespClient> {
    return new RespClient(this.url, this.family);
  }
}
