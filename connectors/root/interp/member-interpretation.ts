/**
 * The interpretation of the member branches of a split object that are not numbers: a member object, a pointer
 * member, and a base class deriving from TObject as a later base (KM3NeT's `JDAQPreamble`).
 */
import { type StreamerRegistry, T } from '../streamers/streamer-info.js';
import { type BranchInterpretation, unsupported } from './branch-interpretation.js';
import { type Content, contentOf, cppOfContent, fieldsOf, typeOfContent } from './object-type.js';

/**
 * A member of a split object that is itself an object (TVector3, std::string, std::vector<...>, ...): read with
 * its content; in a split collection each entry holds one per element, back to back, until the entry's end.
 */
export function memberObject(
  typeName: string,
  st: number,
  inCollection: boolean,
  streamers: StreamerRegistry,
): BranchInterpretation | undefined {
  const stl = st === T.STL || st === T.STLstring || (st > 300 && st < 400);
  if (st !== T.Object && st !== T.Any && st !== T.TString && !(stl && inCollection)) return undefined;
  const c = st === T.TString ? contentOf('TString', false, streamers) : contentOf(typeName, true, streamers);
  if ('refused' in c) return undefined;
  // A member object of a class that is not a TObject is streamed with its class's streamer, under its own
  // byte count and version (mu2e's XYZVectorF `_mom`, uproot test_0852); in a split collection, where the
  // elements' objects follow one another, it stays refused.
  if (c.content.kind === 'class' && inCollection && c.content.members[0]?.content !== 'tobject')
    return undefined;
  const type = typeOfContent(c.content);
  if (!inCollection)
    return { interp: { kind: 'object', content: c.content }, rootType: cppOfContent(c.content), type };
  return {
    interp: { kind: 'object', content: c.content, repeated: true },
    rootType: `${cppOfContent(c.content)}[]`,
    type: { kind: 'list', item: type },
  };
}

/**
 * A pointer member of a split object: with a class tag (kObjectP, kAnyP: a null pointer is a null record), or
 * `X* p; //->` (kObjectp, kAnyp), the object itself; in a split collection, one per element, back to back.
 */
export function pointerMember(
  typeName: string,
  st: number,
  inCollection: boolean,
  streamers: StreamerRegistry,
  path: string,
): BranchInterpretation | undefined {
  const tagged = st === T.ObjectP || st === T.AnyP;
  if (!tagged && st !== T.Objectp && st !== T.Anyp) return undefined;
  const p = contentOf(typeName, true, streamers);
  if ('refused' in p || p.content.kind !== 'pointer')
    return unsupported(
      typeName,
      `not supported yet: ${typeName} in branch ${path} (${'refused' in p ? p.refused : 'not a pointer to a class'})`,
    );
  const content = tagged ? p.content : p.content.content;
  const rootType = cppOfContent(p.content);
  if (!inCollection) return { interp: { kind: 'object', content }, rootType, type: typeOfContent(content) };
  return {
    interp: { kind: 'object', content, repeated: true },
    rootType: `${rootType}[]`,
    type: { kind: 'list', item: typeOfContent(content) },
  };
}

/** Whether a class has TObject among its bases, directly or through other bases. */
export function derivesFromTObject(c: Content): boolean {
  return (
    c.kind === 'class' &&
    c.members.some((m) => m.content === 'tobject' || (m.base === true && derivesFromTObject(m.content)))
  );
}

/**
 * A base class deriving from TObject as a later base, not split further (KM3NeT's `JDAQPreamble` in `KM3NET_EVENT`): ROOT writes
 * each entry as the class's data members alone — no byte count, no version, no TObject, none for its own bases
 * (`JDAQAbstractPreamble`): 8 bytes, `length` and `type`. Read so when all its fields are numbers (the entry's
 * end is checked: a layout that differs is a located error); otherwise refused, saying why. jsroot reads such an
 * entry as an object without members and uproot as an unknown class, so the values are checked by the KM3NeT DAQ
 * record they describe (`type` is the DAQ data type, `length` the record's size in bytes).
 */
export function tobjectBase(
  content: Extract<Content, { kind: 'class' }>,
  path: string,
): BranchInterpretation {
  // Only where TObject is a later base (`class JDAQPreamble : public JDAQAbstractPreamble, public TObject`): a
  // class whose first base leads to TObject (nEXO's HeaderObject in uproot-issue475.root) is written with its
  // byte count, version and TObject, a layout no second reader checks here.
  if (content.members.findIndex((m) => m.content === 'tobject') <= 0)
    return unsupported(
      'BASE',
      `not supported yet: BASE ${content.name} in branch ${path} (a base class deriving from TObject through its first base, not split further)`,
    );
  const fields = fieldsOf(content.members);
  if (fields.length === 0 || !fields.every((f) => f.content.kind === 'primitive'))
    return unsupported(
      'BASE',
      `not supported yet: BASE ${content.name} in branch ${path} (a base class deriving from TObject, not split further, with members other than numbers)`,
    );
  const flat: Content = {
    kind: 'class',
    name: content.name,
    version: content.version,
    members: fields.map((f) => ({ name: f.name, content: f.content })),
  };
  return {
    interp: { kind: 'object', content: flat, bare: true },
    rootType: content.name,
    type: typeOfContent(flat),
  };
}
