/**
 * Prepare a result for postMessage: typed arrays that own their whole buffer are transferred (moved, not
 * copied); views into a larger buffer are copied to their own (structured clone would copy the whole buffer).
 */
export function transferable(value: unknown, transfer: Set<ArrayBuffer>): unknown {
  if (ArrayBuffer.isView(value)) {
    const v = value as ArrayBufferView & { slice?: () => ArrayBufferView };
    if (!(v.buffer instanceof ArrayBuffer)) return v;
    if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) {
      transfer.add(v.buffer);
      return v;
    }
    const copy = v.slice!();
    transfer.add(copy.buffer as ArrayBuffer);
    return copy;
  }
  if (Array.isArray(value)) return value.map((x) => transferable(x, transfer));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) out[k] = transferable(x, transfer);
    return out;
  }
  return value;
}
