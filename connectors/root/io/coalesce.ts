/** Plans `readMany`: merges byte ranges that overlap or lie within a gap of each other into fewer reads. */
import type { ByteRange } from './byte-source.js';

/** One read that serves several requested ranges (`members` are their indices in the request). */
export interface CoalescedRead {
  readonly offset: number;
  readonly length: number;
  readonly members: number[];
}

/**
 * Sorts the non-empty ranges by offset and merges each into the current read when it starts at most
 * `gap` bytes after that read's end (overlaps always merge) and the merged read stays within
 * `maxBytes`. Empty ranges belong to no read. The reads come back in file order.
 */
export function planCoalescedReads(
  ranges: readonly ByteRange[],
  gap: number,
  maxBytes = Number.POSITIVE_INFINITY,
): CoalescedRead[] {
  const order: number[] = [];
  for (let i = 0; i < ranges.length; i++) if (ranges[i]!.length > 0) order.push(i);
  order.sort((a, b) => ranges[a]!.offset - ranges[b]!.offset || a - b);
  const reads: CoalescedRead[] = [];
  let start = 0;
  let end = 0;
  let members: number[] = [];
  for (const i of order) {
    const r = ranges[i]!;
    const rEnd = r.offset + r.length;
    if (members.length > 0) {
      const mergedEnd = Math.max(end, rEnd);
      const overlaps = r.offset < end;
      if (overlaps || (r.offset - end <= gap && mergedEnd - start <= maxBytes)) {
        members.push(i);
        end = mergedEnd;
        continue;
      }
      reads.push({ offset: start, length: end - start, members });
    }
    start = r.offset;
    end = rEnd;
    members = [i];
  }
  if (members.length > 0) reads.push({ offset: start, length: end - start, members });
  return reads;
}
