/**
 * The `Content` tree an object branch's C++ type is composed into (see object-type.ts, which builds it), and the
 * names and column types read off it: its record fields, column type and ROOT spelling.
 */
import type { DataType } from '../../../exec/batch/index.js';
import { cppOfItem, type Item, typeOfItem } from './items.js';

/**
 * `header`: the value is preceded by a byte count and version (ROOT writes one before each top-level STL
 * container and string, and before each class instance; not before the elements of a container).
 */
export type Content =
  /** A number, or a fixed-size array of them (a class member `short a[10]`: `dims` [10]). */
  | { readonly kind: 'primitive'; readonly item: Item; readonly dims?: readonly number[] }
  /**
   * A basic pointer member (`float* x; //[n]`): a 1-byte marker, then as many values as the class's counter
   * member `count`, read before it in the same object, says. `skip`: the bytes before the values when they are
   * not the 1-byte marker (TRefArray's fLowerBound and process id: 6). `triangle`: n(n+1)/2 values for a count
   * n (a symmetric matrix's packed elements).
   */
  | {
      readonly kind: 'slice';
      readonly item: Item;
      readonly count: string;
      readonly skip?: number;
      readonly triangle?: true;
    }
  /**
   * TObject::fBits: a uint32, then a 2-byte process id when the object is referenced (bit 4). `ref`: a whole
   * TRef, read as uproot's built-in model: its TObject's version, fUniqueID (the value: the referenced object's
   * unique id), fBits (and process id when referenced), then the TRef's own 2-byte process id.
   */
  | { readonly kind: 'bits'; readonly ref?: true }
  /** `wide`: a 32-bit length (a `char*` member), else ROOT's 1-byte length (255: a 32-bit one follows). */
  | { readonly kind: 'string'; readonly header: boolean; readonly cpp: string; readonly wide?: boolean }
  /**
   * A pointer to an object (`TFooMember*` as a member, `std::vector<allpix::MCTrack*>`), written as ROOT's
   * `WriteObjectAny` writes it: a class tag (a new class's name, or a reference to a tag earlier in the entry)
   * then the object; 0 for a null pointer (a null value). `content`: the pointee class.
   */
  | { readonly kind: 'pointer'; readonly content: Extract<Content, { kind: 'class' }> }
  /** A fixed-size array of objects (`zCluster Cluster[6]`): `size` contents, each with its own header. */
  | { readonly kind: 'array'; readonly size: number; readonly content: Content }
  /** std::vector, std::set, std::list, ...: a 32-bit length, then that many contents. */
  | { readonly kind: 'list'; readonly header: boolean; readonly cpp: string; readonly content: Content }
  /** std::map: a list of {first, second} records (ROOT writes all keys, then all values). */
  | {
      readonly kind: 'map';
      readonly header: boolean;
      readonly cpp: string;
      readonly key: Content;
      readonly value: Content;
    }
  /**
   * A member whose bytes are skipped by its byte count, giving no field: a collection of arbitrary objects (a
   * histogram's `TList* fFunctions`, streamed in place; an axis's `THashList* fLabels`, through a pointer with a
   * class tag when `tagged`, where 0 is a null pointer).
   */
  | { readonly kind: 'skip'; readonly cpp: string; readonly tagged: boolean }
  /**
   * A class read member by member with its streamer; `tobject` members are the TObject base, read and dropped;
   * `base` members are other base classes (each streamed with its own header), their fields merged into this
   * record as uproot merges them. `version` -1: any version (a layout hepq knows, the file has no streamer).
   */
  | {
      readonly kind: 'class';
      readonly name: string;
      readonly version: number;
      readonly members: readonly ClassMember[];
      /** The integer members that count the values of its basic pointer members. */
      readonly counts?: ReadonlySet<string>;
    };

export interface ClassMember {
  readonly name: string;
  readonly content: Content | 'tobject';
  readonly base?: boolean;
  /** Written after the object's byte count ends (TMatrixTSym's elements, after its TMatrixTBase part). */
  readonly outside?: true;
}

/**
 * `noData`: the type holds no data of its own (a class with no data members, only empty bases; an xAOD
 * interface container of such a class): said so, not "not supported yet".
 */
export type ContentResult =
  | { readonly content: Content }
  | { readonly refused: string; readonly noData?: true };

/** A class's record fields: its members, with those of its (non-TObject) bases merged in, bases first. */
export function fieldsOf(members: readonly ClassMember[]): { name: string; content: Content }[] {
  return members.flatMap((m) => {
    if (m.content === 'tobject' || m.content.kind === 'skip') return [];
    if (m.base && m.content.kind === 'class') return fieldsOf(m.content.members);
    return [{ name: m.name, content: m.content }];
  });
}

/** The column type of a content. */
export function typeOfContent(c: Content): DataType {
  switch (c.kind) {
    case 'primitive':
      return typeOfItem(c.item, c.dims ?? []);
    case 'slice':
      return { kind: 'list', item: typeOfItem(c.item, []) };
    case 'array':
      return { kind: 'fixed-list', item: typeOfContent(c.content), size: c.size };
    case 'pointer':
      return typeOfContent(c.content);
    case 'bits':
      return { kind: 'primitive', type: 'uint32' };
    case 'string':
      return { kind: 'utf8' };
    case 'list':
      return { kind: 'list', item: typeOfContent(c.content) };
    case 'map':
      return {
        kind: 'list',
        item: {
          kind: 'struct',
          fields: [
            { name: 'first', type: typeOfContent(c.key) },
            { name: 'second', type: typeOfContent(c.value) },
          ],
        },
      };
    case 'skip':
      return { kind: 'struct', fields: [] };
    case 'class':
      return {
        kind: 'struct',
        fields: fieldsOf(c.members).map((m) => ({ name: m.name, type: typeOfContent(m.content) })),
      };
  }
}

/** ROOT's spelling of a content's type, e.g. `std::vector<std::vector<std::string>>`. */
export function cppOfContent(c: Content): string {
  switch (c.kind) {
    case 'primitive':
      return `${cppOfItem(c.item)}${(c.dims ?? []).map((d) => `[${d}]`).join('')}`;
    case 'slice':
      return `${cppOfItem(c.item)}*`;
    case 'array':
      return `${cppOfContent(c.content)}[${c.size}]`;
    case 'pointer':
      return `${cppOfContent(c.content)}*`;
    case 'bits':
      return c.ref ? 'TRef' : 'UInt_t';
    case 'string':
      return c.cpp;
    case 'list':
      // A class that is a collection (DataVector<X>, xAOD::CutBookkeeperContainer_v1) keeps its own name.
      return c.cpp.endsWith('>') || !/^(std|ROOT)::[\w:]+$/.test(c.cpp)
        ? c.cpp
        : `${c.cpp}<${cppOfContent(c.content)}>`;
    case 'skip':
      return c.cpp;
    case 'map':
      return `${c.cpp}<${cppOfContent(c.key)},${cppOfContent(c.value)}>`;
    case 'class':
      return c.name;
  }
}
