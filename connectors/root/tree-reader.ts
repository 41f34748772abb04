/** RootTree: reads branches of a TTree as columns — finds the baskets of an entry range, decompresses and decodes them. */
import {
  type Batch,
  type Column,
  didYouMean,
  type Field,
  HepqError,
  type Schema,
  sliceColumn,
} from '../../exec/batch/index.js';
import { Arena } from './basket.js';
import { branchNames } from './branch-names.js';
import { type BranchInterpretation, interpret, noDataOfItsOwn } from './interp/interpretation.js';
import { prefixSums } from './interp/prefix-sums.js';
import { type BasketRef, type BranchModel, basketRefs, type TreeModel } from './model/tree.js';
import type { RootFile } from './root-file.js';
import { assembleSplit, type SplitPlan, splitPlan } from './split-objects.js';
import { decodeByCounter, decodeColumn, type Fetched } from './tree-decode.js';

/** A readable (or listed-but-unsupported) branch of a tree. */
export interface BranchInfo {
  /** The branch's path, or where an earlier branch has that path, a distinct one (`Particle;2`: branch-names.ts). */
  readonly name: string;
  readonly branch: BranchModel;
  readonly interpretation: BranchInterpretation;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
}

export interface EntryRange {
  readonly start?: number;
  readonly stop?: number;
}

export class RootTree {
  readonly file: RootFile;
  readonly path: string;
  readonly model: TreeModel;
  readonly branches: readonly BranchInfo[];
  private readonly byName: Map<string, BranchInfo>;
  /** Paths two or more branches share (each has a name of its own: `Particle_size`, `Particle_size;2`). */
  private readonly shared: ReadonlySet<string>;
  private readonly byModel: Map<BranchModel, BranchInfo>;
  /** `read` fetches the baskets of its branches in groups of about this many compressed bytes. */
  fetchGroupBytes = 4 * 1024 * 1024;

  constructor(file: RootFile, path: string, model: TreeModel) {
    this.file = file;
    this.path = path;
    this.model = model;
    const interps = new Map(
      model.all.map((b) => {
        // A branch with no entries at all in a tree that has some (never filled) cannot give a column.
        if (
          b.entries === 0 &&
          model.entries > 0 &&
          b.branches.length === 0 &&
          b.writeBasket === 0 &&
          !b.embedded.length
        )
          return [
            b,
            {
              interp: {
                kind: 'unsupported',
                reason: `branch ${b.path} holds no entries (the tree has ${model.entries})`,
              },
              rootType: interpret(b, file.streamers).rootType,
            },
          ] as const;
        return [b, interpret(b, file.streamers)] as const;
      }),
    );
    // Split objects whose members can all be read are records of them (members first: depth-first, reversed).
    for (const b of [...model.all].reverse()) {
      const it = interps.get(b)!;
      if (it.interp.kind !== 'unsupported' || b.branches.length === 0 || b.className !== 'TBranchElement')
        continue;
      const split = splitPlan(b, (m) => interps.get(m)!);
      if ('noData' in split) interps.set(b, noDataOfItsOwn(it.rootType, b.path, split.refused));
      else if ('refused' in split)
        // Refused as a whole, with the member that cannot be read (its own branch says why).
        interps.set(b, {
          ...it,
          interp: {
            kind: 'unsupported',
            reason: `not supported yet: ${it.rootType} in branch ${b.path} (a split object: ${split.refused})`,
          },
        });
      else if ('plan' in split)
        interps.set(b, {
          interp: { kind: 'split', plan: split.plan },
          rootType: b.type === 3 && b.clonesName ? `TClonesArray(${b.clonesName})` : it.rootType,
          type: split.type,
        });
    }
    // A path two branches share (Delphes trees may hold two `Particle` collections) names the first, as in uproot
    // and jsroot; the later ones are `Particle;2`, `Particle;2/Particle.PT`, … (branch-names.ts).
    const { names, shared } = branchNames(model.all);
    this.shared = shared;
    this.branches = model.all.map((b) => ({
      name: names.get(b)!,
      branch: b,
      interpretation: interps.get(b)!,
      compressedBytes: b.zipBytes,
      uncompressedBytes: b.totBytes,
    }));
    this.byName = new Map(this.branches.map((b) => [b.name, b]));
    this.byModel = new Map(this.branches.map((b) => [b.branch, b]));
  }

  get entries(): number {
    return this.model.entries;
  }

  /**
   * Branches that decode to a column: what a read of the whole tree reads. Whole split objects are left out
   * (their members are in it), and so are xAOD interface containers (`egammaClusters`: their name is the
   * aux store's container for func_adl and SQL); both are read when asked for by name.
   */
  readable(): BranchInfo[] {
    return this.branches.filter(
      (b) =>
        b.interpretation.type !== undefined &&
        b.interpretation.interp.kind !== 'split' &&
        !b.interpretation.byName &&
        !this.refusedAtRead.has(b.name),
    );
  }

  /**
   * Branches that cannot be read yet, or hold no data of their own (`noData`: an empty base class, an xAOD
   * interface object), with the reason: a read of the whole tree skips them.
   * Split parents are not listed (their data is in their member branches).
   */
  refused(): { name: string; rootType: string; reason: string; noData?: true }[] {
    return this.branches.flatMap((b) => {
      const i = b.interpretation.interp;
      const late = this.refusedAtRead.get(b.name);
      if (late) return [{ name: b.name, rootType: b.interpretation.rootType, reason: late }];
      if (i.kind !== 'unsupported' || b.branch.branches.length > 0) return [];
      const noData = i.noData ? { noData: true as const } : {};
      return [{ name: b.name, rootType: b.interpretation.rootType, reason: i.reason, ...noData }];
    });
  }

  /** Branches found unreadable only when their data was read (a container written member-wise), with why. */
  private readonly refusedAtRead = new Map<string, string>();

  /**
   * If `e` refuses one branch's data (`root/unsupported` located at a branch of this tree), remember it as
   * refused and return its name; otherwise undefined.
   */
  refusesBranch(e: unknown): string | undefined {
    if (!(e instanceof HepqError) || e.code !== 'root/unsupported') return undefined;
    const object = e.location?.object ?? '';
    const prefix = `${this.path}/`;
    if (!object.startsWith(prefix)) return undefined;
    const name = object.slice(prefix.length).replace(/ \(basket \d+\)$/, '');
    if (!this.byName.has(name)) return undefined;
    this.refusedAtRead.set(name, e.message);
    return name;
  }

  info(name: string): BranchInfo {
    const b = this.byName.get(name);
    if (!b) {
      const guess = didYouMean(name, this.byName.keys());
      throw new HepqError(
        'root/no-such-branch',
        `no branch '${name}' in tree ${this.path} of ${this.file.name}`,
        {
          location: { file: this.file.name, object: this.path },
          hint: guess
            ? `did you mean '${guess}'?`
            : `the tree has ${this.branches.length} branches; \`hepq inspect\` lists them`,
        },
      );
    }
    return b;
  }

  schema(names: readonly string[]): Schema {
    return {
      fields: names.map((n): Field => {
        const b = this.info(n);
        if (!b.interpretation.type) throw this.unsupported(b);
        return { name: n, type: b.interpretation.type, metadata: { rootType: b.interpretation.rootType } };
      }),
    };
  }

  private unsupported(b: BranchInfo): HepqError {
    const reason =
      b.interpretation.interp.kind === 'unsupported'
        ? b.interpretation.interp.reason
        : `not supported yet: ${b.interpretation.rootType} in branch ${b.name}`;
    return new HepqError('root/unsupported', reason, {
      location: { file: this.file.name, object: `${this.path}/${b.name}` },
      hint: 'other branches of this tree can still be read; `hepq inspect` shows which',
    });
  }

  private clamp(range: EntryRange): [number, number] {
    const start = Math.max(0, Math.min(range.start ?? 0, this.entries));
    const stop = Math.max(start, Math.min(range.stop ?? this.entries, this.entries));
    return [start, stop];
  }

  /** The baskets of a branch that hold entries of [start, stop). */
  private refsIn(b: BranchInfo, start: number, stop: number): BasketRef[] {
    let all = this.refsCache.get(b);
    if (!all) {
      all = basketRefs(b.branch);
      this.refsCache.set(b, all);
    }
    return all.filter((r) => r.stopEntry > start && r.firstEntry < stop);
  }

  /** Every branch's basket list, built once (the model does not change). */
  private readonly refsCache = new Map<BranchInfo, BasketRef[]>();

  /**
   * The on-disk baskets of every list, in one `readMany` (neighbouring baskets of different branches merge
   * into one read: one request per stretch of the file rather than one per branch), by file offset.
   */
  private async fetch(
    lists: readonly (readonly BasketRef[])[],
    alloc?: (n: number) => Uint8Array,
  ): Promise<Fetched> {
    const ranges: Array<{ offset: number; length: number }> = [];
    const seen = new Set<number>();
    for (const refs of lists)
      for (const r of refs)
        if (!r.embedded && !seen.has(r.seek)) {
          seen.add(r.seek);
          ranges.push({ offset: r.seek, length: r.bytes });
        }
    const views = await this.file.source.readMany(ranges);
    return {
      raws: new Map(ranges.map((r, i) => [r.offset, views[i]!])),
      views,
      decompressedOnly: true,
      arena: new Arena(alloc),
    };
  }

  /** Hand the fetched buffers back to the source when every basket was decompressed (columns hold none of them). */
  private recycle(f: Fetched): void {
    if (f.decompressedOnly && f.views.length) this.file.source.recycle?.(f.views);
  }

  /** One branch's values for entries [start, stop): the branch of that name, or one of `branches` itself. */
  async readBranch(name: string | BranchInfo, range: EntryRange = {}): Promise<Column> {
    const b = typeof name === 'string' ? this.info(name) : name;
    if (!b.interpretation.type) throw this.unsupported(b);
    const [start, stop] = this.clamp(range);
    if (b.interpretation.interp.kind === 'split')
      return this.readSplit(b, b.interpretation.interp.plan, start, stop);
    const refs = this.refsIn(b, start, stop);
    const fetched = await this.fetch([refs]);
    let col: Column;
    try {
      col = decodeColumn(this, b, refs, fetched, start, stop);
    } catch (e) {
      if ((e as HepqError).code !== 'root/no-entry-offsets') throw e;
      col = await this.readByCounter(b, refs, fetched, start, stop, e as HepqError);
    }
    this.recycle(fetched);
    return col;
  }

  /**
   * A leaf-count array whose baskets were written without entry offsets (some non-ROOT writers): the list
   * offsets come from its counter branch over the baskets' entries, then the range is cut out.
   */
  private async readByCounter(
    b: BranchInfo,
    refs: readonly BasketRef[],
    f: Fetched,
    start: number,
    stop: number,
    cause: HepqError,
  ): Promise<Column> {
    const counter = this.counterOf(b);
    if (!counter || refs.length === 0 || refs.some((r) => r.embedded)) throw cause;
    const from = refs[0]!.firstEntry;
    const to = refs.at(-1)!.stopEntry;
    const counts = await this.readBranch(counter, { start: from, stop: to });
    const offsets = new Int32Array(to - from + 1);
    if (counts.kind !== 'primitive' || !prefixSums(counts.values, offsets)) throw cause;
    const col = decodeByCounter(this, b, refs, f, offsets, to - from);
    if (!col) throw cause;
    return from === start && to === stop ? col : sliceColumn(col, start - from, stop - from);
  }

  /**
   * Several branches as a batch of entries [start, stop): their baskets fetched together, then decoded. Payloads
   * are decompressed into buffers from `alloc` when given (a scan's lease on reused buffers).
   */
  async read(
    names: readonly string[],
    range: EntryRange = {},
    alloc?: (n: number) => Uint8Array,
  ): Promise<Batch> {
    const [start, stop] = this.clamp(range);
    const schema = this.schema(names);
    if (names.some((n) => this.info(n).interpretation.interp.kind === 'split')) {
      // Whole split objects come from their members, read on their own; the other branches together.
      const plain = names.filter((n) => this.info(n).interpretation.interp.kind !== 'split');
      const rest = await this.read(plain, { start, stop }, alloc);
      const columns = await Promise.all(
        names.map((n) => {
          const i = plain.indexOf(n);
          return i >= 0 ? rest.columns[i]! : this.readBranch(n, { start, stop });
        }),
      );
      return { schema, columns, length: stop - start };
    }
    const plans = names.map((n) => {
      const b = this.info(n);
      const refs = this.refsIn(b, start, stop);
      // Leaf-count arrays whose baskets lie wholly inside the range take their offsets from the counter.
      const whole = !refs.some((r) => r.embedded || r.firstEntry < start || r.stopEntry > stop);
      const counter = whole ? this.counterOf(b) : undefined;
      return { b, refs, counter };
    });
    const counters = [...new Set(plans.map((p) => p.counter).filter((c) => c !== undefined))].map((name) => {
      const b = this.info(name);
      return { name, b, refs: this.refsIn(b, start, stop) };
    });
    // Baskets are fetched in groups: a branch with large baskets alone, small ones together up to
    // fetchGroupBytes (one coalesced read for many small baskets). Every read is in flight at once and each
    // group decodes as soon as it arrives (the thread pool reads while this thread decodes); the counters come
    // in a read of their own, since members of any group need their offsets.
    const counterNames = new Set(counters.map((c) => c.name));
    const groups: Array<typeof plans> = [];
    let open: typeof plans | undefined;
    let bytes = 0;
    for (const p of plans) {
      if (counterNames.has(p.b.name)) continue;
      const n = p.refs.reduce((a, r) => a + (r.embedded ? 0 : r.bytes), 0);
      if (n >= this.fetchGroupBytes / 16) {
        groups.push([p]);
        continue;
      }
      if (!open || bytes + n > this.fetchGroupBytes) {
        open = [];
        groups.push(open);
        bytes = 0;
      }
      open.push(p);
      bytes += n;
    }
    const offsets = new Map<string, Int32Array | undefined>();
    const counterColumns = new Map<string, Column>();
    const countersRead = counters.length
      ? this.fetch(
          counters.map((c) => c.refs),
          alloc,
        ).then((fetched) => {
          // Each counter's prefix sums, computed once and shared by every member of its collection; a counter
          // also asked for as a column is that column.
          for (const c of counters) {
            const counts = decodeColumn(this, c.b, c.refs, fetched, start, stop);
            counterColumns.set(c.name, counts);
            const out = new Int32Array(stop - start + 1);
            const ok = counts.kind === 'primitive' && counts.values.length === stop - start;
            offsets.set(c.name, ok && prefixSums(counts.values, out) ? out : undefined);
          }
          this.recycle(fetched);
        })
      : Promise.resolve();
    countersRead.catch(() => {}); // surfaced when awaited
    const decoded = new Map<(typeof plans)[number], Column>();
    await Promise.all([
      countersRead,
      ...groups.map(async (group) => {
        const fetched = await this.fetch(
          group.map((p) => p.refs),
          alloc,
        );
        await countersRead;
        for (const p of group) {
          const offs = p.counter ? offsets.get(p.counter) : undefined;
          try {
            decoded.set(
              p,
              (offs && decodeByCounter(this, p.b, p.refs, fetched, offs, stop - start)) ??
                decodeColumn(this, p.b, p.refs, fetched, start, stop),
            );
          } catch (e) {
            if ((e as HepqError).code !== 'root/no-entry-offsets') throw e;
            decoded.set(p, await this.readByCounter(p.b, p.refs, fetched, start, stop, e as HepqError));
          }
        }
        this.recycle(fetched);
      }),
    ]);
    const columns = plans.map((p) => decoded.get(p) ?? counterColumns.get(p.b.name)!);
    return { schema, columns, length: stop - start };
  }

  /**
   * The counter branch of a leaf-count array (`Muon_pt[nMuon]`) whose list offsets can come from the counts
   * instead of each basket's entry-offset array: fixed-width values, no per-entry header, a flat integer
   * counter branch of the leaf's count name.
   */
  private counterOf(b: BranchInfo): string | undefined {
    const i = b.interpretation.interp;
    const leaf = b.branch.leaves[0];
    // The count leaf, or (a leaf with no title, as some writers leave it) the name in the branch title `y[N]/D`.
    const count =
      leaf?.countLeaf ?? (leaf?.title ? undefined : /\[([A-Za-z_]\w*)\]/.exec(b.branch.title)?.[1]);
    if (i.kind !== 'jagged' || i.headerBytes !== 0 || i.item.packed || !count || b.branch.leaves.length !== 1)
      return undefined;
    // A count name two branches share could be either one's: the entry offsets are used instead.
    const c = this.shared.has(count) ? undefined : this.byName.get(count);
    const ci = c?.interpretation.interp;
    if (!c || ci?.kind !== 'flat' || ci.dims.length !== 0 || ci.item.packed) return undefined;
    return /^u?int(8|16|32|64)$/.test(ci.item.out) ? count : undefined;
  }

  /** A whole split object of entries [start, stop): its members read together, assembled into records. */
  private async readSplit(b: BranchInfo, plan: SplitPlan, start: number, stop: number): Promise<Column> {
    // Members read together, by their own names (`Particle;2/Particle.PT` for the second `Particle` collection).
    const { columns } = await this.read(
      plan.members.map((m) => this.byModel.get(m.model)!.name),
      { start, stop },
    );
    return assembleSplit(plan, columns, stop - start, {
      file: this.file.name,
      object: `${this.path}/${b.name}`,
    });
  }
}
