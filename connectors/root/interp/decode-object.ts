/**
 * Decodes object branches (any composition of STL containers, strings and streamer-described classes) entry
 * by entry into column builders: values are gathered as raw bytes per leaf and byte-swapped once at the end.
 */
import type { Column } from '../../../exec/batch/index.js';
import type { BasketContent } from './decode.js';
import { type Builder, type Bytes, builderFor, finish, kByteCountMask, Reader } from './object-builders.js';
import { type Content, cppOfContent } from './object-type.js';
import { kStreamedMemberWise, read, readMembers, repeatedMemberWise } from './read-content.js';

/**
 * A split collection's member entry of fixed arrays of objects (Delphes' `Jet.TrimmedP4[5]`): every element's
 * array, one after the other, each object under its own byte count and version, with nothing counting them —
 * so, as uproot does, the objects are read to the entry's end and grouped by the array's size; a count that
 * is not a whole number of arrays is a located error. Returns the number of arrays (the entry's elements).
 * The bytes of uproot-issue513.root show nothing else in between: every TLorentzVector is 64 bytes (byte count
 * and version 6, TObject 10, fP's header 6 and TObject 10 and three doubles, fE), no class tags or references;
 * `Particle.TrimmedP4[5]`'s entry 0 is 1005 of them, 201 arrays, as its collection's `Particle_size` says — the
 * tree's second `Particle` collection (class Jet); the first one's (GenParticle) 2519 is another collection's.
 */
function repeatedArrays(
  c: Extract<Content, { kind: 'array' }>,
  b: Extract<Builder, { kind: 'list' }>,
  r: Reader,
): number {
  const at = r.pos;
  let objects = 0;
  for (; r.pos < r.end; objects++) read(c.content, b.child, r, true);
  if (objects % c.size !== 0)
    throw r.fail(
      `${objects} ${cppOfContent(c.content)} objects are not a whole number of ${cppOfContent(c)} arrays`,
      at,
    );
  const n = objects / c.size;
  for (let i = 0; i < n; i++) b.offsets.push(b.offsets.at(-1)! + c.size);
  return n;
}

/**
 * Decode a basket of an object branch: one `content` per entry, each within its entry-offset span; `repeated`
 * (a member of a split collection): as many contents as the entry holds, as a list. `bare`: each entry is a
 * class's members alone, without the object's byte count and version (an unsplit top-level branch of type 0).
 */
export function decodeObjects(content: Content, b: BasketContent, repeated = false, bare = false): Column {
  if (!b.offsets) throw b.cursor.error('root/no-entry-offsets', 'object branch basket has no entry offsets');
  const offs = b.offsets;
  const r = new Reader(b);
  const bld = builderFor(content);
  const outer = [0];
  for (let i = 0; i < b.entries; i++) {
    r.entry = i;
    r.classTags.clear(); // ROOT starts each entry's buffer map afresh
    r.pos = offs[i]!;
    r.end = offs[i + 1]!;
    if (r.end > b.data.length || r.end < r.pos)
      throw r.fail(`entry spans ${r.pos}..${r.end}, outside the ${b.data.length}-byte basket`);
    if (content.kind === 'string' && r.pos === r.end && !repeated) {
      // An empty std::string entry may be written as no bytes at all.
      (bld as Extract<Builder, { kind: 'string' }>).offsets.push((bld as { bytes: Bytes }).bytes.n);
      continue;
    }
    if (repeated && content.kind === 'array') {
      outer.push(outer.at(-1)! + repeatedArrays(content, bld as Extract<Builder, { kind: 'list' }>, r));
    } else if (repeated) {
      // A split collection's member entry may open with one byte count and version for all its elements.
      if (r.pos + 4 <= r.end && r.view.getUint32(r.pos) & kByteCountMask && content.kind !== 'class') {
        const at = r.pos;
        if (r.header().version & kStreamedMemberWise) {
          outer.push(outer.at(-1)! + repeatedMemberWise(content, bld, r, at));
          continue;
        }
      }
      let n = 0;
      for (; r.pos < r.end; n++) read(content, bld, r, false);
      outer.push(outer.at(-1)! + n);
    } else if (bare && content.kind === 'class') {
      readMembers(content, bld as Extract<Builder, { kind: 'class' }>, r);
      if (r.pos !== r.end)
        throw r.fail(`${content.name} ends at ${r.pos}, ${r.end - r.pos} bytes before the entry's end`);
    } else read(content, bld, r, true);
  }
  const col = finish(content, bld);
  return repeated ? { kind: 'list', offsets: Int32Array.from(outer), child: col } : col;
}
