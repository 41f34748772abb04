/** pyhf patchsets: named JSON Patches with metadata (labels, values, digests), applied to their background-only workspace. */
import { didYouMean, HepqError } from '../exec/batch/index.js';
import type { PatchSpec, PatchsetSpec } from './spec/types.js';
import { validatePatchset } from './spec/validate.js';
import { readJsonFile, type Workspace } from './workspace.js';

export class Patchset {
  readonly spec: PatchsetSpec;
  private constructor(spec: PatchsetSpec) {
    this.spec = spec;
  }
  static fromJSON(doc: unknown, source = 'patchset'): Patchset {
    return new Patchset(validatePatchset(doc, source));
  }
  static fromFile(path: string): Patchset {
    return Patchset.fromJSON(readJsonFile(path), path);
  }
  /** true when `doc` looks like a patchset rather than a plain list of JSON Patch operations */
  static isPatchset(doc: unknown): boolean {
    return !!doc && typeof doc === 'object' && !Array.isArray(doc) && 'patches' in (doc as object);
  }
  get labels(): string[] {
    return this.spec.metadata.labels;
  }
  get names(): string[] {
    return this.spec.patches.map((p) => p.metadata.name);
  }
  get description(): string {
    return this.spec.metadata.description;
  }
  /** The named patch, or the one whose metadata values equal `values`. */
  patch(key: string | readonly (number | string)[]): PatchSpec {
    const p =
      typeof key === 'string'
        ? this.spec.patches.find((x) => x.metadata.name === key)
        : this.spec.patches.find(
            (x) => x.metadata.values.length === key.length && x.metadata.values.every((v, i) => v === key[i]),
          );
    if (!p) {
      const shown = typeof key === 'string' ? `'${key}'` : JSON.stringify(key);
      const guess = typeof key === 'string' ? didYouMean(key, this.names) : undefined;
      throw new HepqError('stats/patch', `no patch ${shown} in the patchset (${this.names.length} patches)`, {
        hint: guess
          ? `did you mean '${guess}'?`
          : `patches include ${this.names.slice(0, 5).join(', ')}${this.names.length > 5 ? ', …' : ''}`,
      });
    }
    return p;
  }
  /** The workspace with the named patch applied. */
  apply(ws: Workspace, key: string | readonly (number | string)[]): Workspace {
    const p = this.patch(key);
    return ws.patch(p.patch, `patch '${p.metadata.name}'`);
  }
}
