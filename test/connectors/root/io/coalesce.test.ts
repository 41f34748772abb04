/** Tests the readMany planner: which ranges merge into one read. */
import { describe, expect, it } from 'vitest';
import { planCoalescedReads } from '../../../../connectors/root/io/coalesce.js';

const r = (offset: number, length: number) => ({ offset, length });

describe('planCoalescedReads', () => {
  it('merges ranges whose gap is at most the limit, in file order, whatever the input order', () => {
    const reads = planCoalescedReads([r(300, 10), r(0, 100), r(110, 50), r(171, 9)], 10);
    expect(reads).toEqual([
      { offset: 0, length: 160, members: [1, 2] },
      { offset: 171, length: 9, members: [3] },
      { offset: 300, length: 10, members: [0] },
    ]);
  });

  it('merges touching and overlapping ranges even with gap 0, and keeps nested ranges inside', () => {
    const reads = planCoalescedReads([r(0, 10), r(10, 10), r(5, 2), r(15, 20), r(36, 1)], 0);
    expect(reads).toEqual([
      { offset: 0, length: 35, members: [0, 2, 1, 3] },
      { offset: 36, length: 1, members: [4] },
    ]);
  });

  it('skips empty ranges and respects the maximum merged size', () => {
    expect(planCoalescedReads([r(5, 0)], 100)).toEqual([]);
    const reads = planCoalescedReads([r(0, 60), r(60, 60), r(120, 60), r(400, 0)], 1000, 130);
    expect(reads.map((x) => x.members)).toEqual([[0, 1], [2]]);
    expect(planCoalescedReads([r(0, 500)], 0, 100)).toEqual([{ offset: 0, length: 500, members: [0] }]);
  });
});
