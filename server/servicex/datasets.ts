/**
 * `GET /servicex/datasets(/:id)`: the datasets requests have read, in the shape of the ServiceX server's
 * `Dataset.to_json` (what `servicex datasets list|get` reads). A dataset here is a request's `did` (or its
 * file list); its files are the inputs, with sizes from the file system and events from finished jobs.
 */
import { statSync } from 'node:fs';
import { HepqError } from '../../exec/batch/index.js';
import type { TransformRecord, TransformService } from '../transform/index.js';
import { didId, isoMicrosZ } from './wire.js';

function fileSize(path: string): number {
  if (/^https?:\/\//i.test(path)) return 0;
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** One dataset record from the requests that read it (newest last). */
function datasetOf(did: string, recs: readonly TransformRecord[]): Record<string, unknown> {
  const last = recs[recs.length - 1]!;
  const events = new Map<string, number>();
  for (const r of recs)
    for (const f of r.files) if (f.state === 'done' && f.events !== undefined) events.set(f.input, f.events);
  const inputs = [...new Set(last.files.map((f) => f.input))];
  const files = inputs.map((p, i) => ({
    id: i,
    adler32: null,
    file_size: fileSize(p),
    file_events: events.get(p) ?? 0,
    paths: p,
  }));
  return {
    id: didId(did),
    name: did,
    did_finder: did.startsWith('file-list:') ? 'file-list' : 'local',
    n_files: files.length,
    size: files.reduce((a, f) => a + f.file_size, 0),
    events: files.reduce((a, f) => a + f.file_events, 0),
    last_used: isoMicrosZ(last.submitTime),
    last_updated: isoMicrosZ(last.submitTime),
    lookup_status: 'complete',
    is_stale: false,
    files,
  };
}

function byDid(service: TransformService): Map<string, TransformRecord[]> {
  const m = new Map<string, TransformRecord[]>();
  for (const r of service.list()) {
    const list = m.get(r.did) ?? [];
    list.push(r);
    m.set(r.did, list);
  }
  return m;
}

export function datasetList(service: TransformService): Record<string, unknown>[] {
  return [...byDid(service)].map(([did, recs]) => datasetOf(did, recs));
}

export function datasetJson(service: TransformService, id: string): Record<string, unknown> {
  for (const [did, recs] of byDid(service)) if (String(didId(did)) === id) return datasetOf(did, recs);
  throw new HepqError('servicex/not-found', `no dataset with id '${id}'`);
}
