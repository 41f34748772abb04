/**
 * AWS Signature Version 4 checking for the read-only S3 path: the `Authorization: AWS4-HMAC-SHA256 …` header that
 * boto / aioboto3 and the AWS SDKs send, and presigned URLs (`X-Amz-Signature` in the query). The canonical
 * request is rebuilt from the request as received (raw path, re-encoded sorted query, the signed headers).
 */
import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual } from './auth.js';

export interface SignedRequest {
  readonly method: string;
  /** The raw request target: path and query exactly as sent. */
  readonly url: string;
  /** Lower-case header names (Node's `IncomingMessage.headers`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Clock skew a signed header request may have (as S3). */
const SKEW_SECONDS = 15 * 60;

/** RFC 3986 encoding, as SigV4 wants it (unreserved characters kept, everything else %XX). */
function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function queryPairs(query: string): Array<[string, string]> {
  if (query === '') return [];
  return query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    return [safeDecode(k), safeDecode(v)];
  });
}

function canonicalQuery(pairs: ReadonlyArray<[string, string]>): string {
  return pairs
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v.join(',') : v).trim().replace(/\s+/g, ' ');
}

const hex = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** `20250101T000000Z` as epoch seconds (NaN when malformed). */
function amzSeconds(stamp: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
}

interface Parts {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly amzDate: string;
  readonly payloadHash: string;
  readonly pairs: ReadonlyArray<[string, string]>;
  /** Seconds the signature stays valid after amzDate. */
  readonly validFor: number;
}

function parts(req: SignedRequest, path: string, query: string): Parts | string {
  const pairs = queryPairs(query);
  const q = new Map(pairs);
  if (q.get('X-Amz-Algorithm') !== undefined) {
    if (q.get('X-Amz-Algorithm') !== ALGORITHM) return 'unsupported signature algorithm';
    const expires = Number(q.get('X-Amz-Expires') ?? '0');
    return {
      credential: q.get('X-Amz-Credential') ?? '',
      signedHeaders: q.get('X-Amz-SignedHeaders') ?? '',
      signature: q.get('X-Amz-Signature') ?? '',
      amzDate: q.get('X-Amz-Date') ?? '',
      payloadHash: q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
      pairs: pairs.filter(([k]) => k !== 'X-Amz-Signature'),
      validFor: Number.isFinite(expires) ? expires : 0,
    };
  }
  const auth = headerValue(req.headers, 'authorization');
  if (!auth?.startsWith(`${ALGORITHM} `)) return `the request is not signed (${path})`;
  const fields = new Map(
    auth
      .slice(ALGORITHM.length + 1)
      .split(',')
      .map((f) => f.trim().split('=') as [string, string]),
  );
  return {
    credential: fields.get('Credential') ?? '',
    signedHeaders: fields.get('SignedHeaders') ?? '',
    signature: fields.get('Signature') ?? '',
    amzDate: headerValue(req.headers, 'x-amz-date') ?? '',
    payloadHash: headerValue(req.headers, 'x-amz-content-sha256') ?? 'UNSIGNED-PAYLOAD',
    pairs,
    validFor: SKEW_SECONDS,
  };
}

/**
 * Check a request's SigV4 signature against `accessKey`/`secretKey`. Returns undefined when it is valid, or
 * why not (for the server log; the client gets one generic 403).
 */
export function checkSigV4(
  req: SignedRequest,
  accessKey: string,
  secretKey: string,
  nowSeconds = Date.now() / 1000,
): string | undefined {
  const qi = req.url.indexOf('?');
  const path = qi < 0 ? req.url : req.url.slice(0, qi);
  const query = qi < 0 ? '' : req.url.slice(qi + 1);
  const p = parts(req, path, query);
  if (typeof p === 'string') return p;
  const [key, date, region, service, terminator] = p.credential.split('/');
  if (key !== accessKey) return 'unknown access key';
  if (!date || !region || !service || terminator !== 'aws4_request') return 'malformed credential scope';
  const when = amzSeconds(p.amzDate);
  if (Number.isNaN(when) || !p.amzDate.startsWith(date)) return 'malformed or mismatched X-Amz-Date';
  if (nowSeconds > when + Math.max(p.validFor, 0) || when > nowSeconds + SKEW_SECONDS)
    return 'the signature has expired (or the clock is skewed)';
  const names = p.signedHeaders.split(';').filter((n) => n !== '');
  if (!names.includes('host')) return 'the host header is not signed';
  const headerLines = names.map((n) => `${n}:${headerValue(req.headers, n) ?? ''}\n`).join('');
  const canonical = [
    req.method,
    path,
    canonicalQuery(p.pairs),
    headerLines,
    names.join(';'),
    p.payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = `${ALGORITHM}\n${p.amzDate}\n${scope}\n${hex(canonical)}`;
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretKey}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', signingKey).update(toSign).digest('hex');
  return constantTimeEqual(expected, p.signature) ? undefined : 'signature mismatch';
}
