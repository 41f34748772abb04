/**
 * The GPU stack's native messages (Dawn's warnings, Mesa's XDG_RUNTIME_DIR complaint) never reach the user's
 * terminal from `hepq gpu-info` or a query with `--device auto|gpu`; `--verbose` lets them through; hepq's own
 * stderr (errors, progress bars) passes the filter unchanged.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { filtersInProcess, isNativeNoise, NoiseFilter, wantsFilter } from '../../server/cli/native-noise.js';
import { HAVE_ROOT_DATA, ROOT_DATA, SHARED } from '../helpers/shared-data.js';
import { ensureBuilt, REPO } from './repl/pty.js';

const run = promisify(execFile);
const HEPQ = join(REPO, 'bin', 'hepq.mjs');

/** What Dawn 0.6 and Mesa 22 printed on this project's CI machines (llvmpipe, lavapipe), verbatim but the path. */
const DAWN = [
  'error: XDG_RUNTIME_DIR is invalid or not set in the environment.',
  'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required.',
  ' - While initializing adapter (backend=BackendType::Vulkan)',
  '    at InitializeImpl (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/PhysicalDeviceVk.cpp:257)',
  '',
  'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 90 to 16 to fit dynamic offset allocation limit.',
  '',
].join('\n');

/** Any line of `text` that is the GPU stack's own. */
const noiseIn = (text: string) => text.split('\n').filter(isNativeNoise);

beforeAll(() => ensureBuilt());

describe('the stderr filter', () => {
  it('drops the native lines in any chunking and keeps hepq lines and progress bars, in order', () => {
    const ours = 'error[query/parse]: expected a lambda\n\r  scan ███   40%\r  scan █████ 100%\r\x1b[2K';
    const cut = ours.indexOf('\n') + 1; // native lines come whole, between our lines
    const text = `${DAWN}${ours.slice(0, cut)}${DAWN}${ours.slice(cut)}`;
    for (const size of [1, 3, 7, 64, text.length]) {
      let out = '';
      const f = new NoiseFilter((t) => {
        out += t;
      });
      for (let i = 0; i < text.length; i += size) f.push(text.slice(i, i + size));
      f.end();
      expect(out, `chunks of ${size}`).toBe(ours);
    }
  });

  it('a partial progress line passes before its newline comes', () => {
    let out = '';
    const f = new NoiseFilter((t) => {
      out += t;
    });
    f.push('\r  scan ██ 20%');
    expect(out).toBe('\r  scan ██ 20%');
  });

  it('filters the commands that may open a GPU, unless --verbose or --device cpu', () => {
    expect(wantsFilter(['gpu-info'], {})).toBe(true);
    expect(wantsFilter(['query', 'Q', 'f.root', '--device', 'auto'], {})).toBe(true);
    expect(wantsFilter(['events.root'], {})).toBe(true); // absent: the usual path reports it
    expect(wantsFilter(['gpu-info', '--verbose'], {})).toBe(false);
    expect(wantsFilter(['query', 'Q', 'f.root', '--device', 'cpu'], {})).toBe(false);
    expect(wantsFilter(['inspect', 'f.root'], {})).toBe(false);
    expect(wantsFilter(['gpu-info'], { HEPQ_NATIVE_STDERR: 'child' })).toBe(false);
    // the server filters in its own process (no second Node start before its first answer), but on Windows
    expect(wantsFilter(['serve'], {})).toBe(process.platform === 'win32');
    expect(filtersInProcess(['serve'], {}, 'linux')).toBe(true);
    expect(filtersInProcess(['serve'], {}, 'win32')).toBe(false);
    expect(filtersInProcess(['serve', '--device', 'cpu'], {}, 'linux')).toBe(false);
    expect(filtersInProcess(['serve', '--verbose'], {}, 'linux')).toBe(false);
    expect(filtersInProcess(['query', 'Q', 'f.root'], {}, 'linux')).toBe(false);
  });

  it.skipIf(!HAVE_ROOT_DATA)(
    'runs a query on small local files and SQL without func_adl in-process (no second Node start)',
    () => {
      // the shared 1000-event sample is 293 kB on disk (ls -l), NanoAODv5_sample.root 3.0 MB: under and over the
      // 1 MiB below which --device auto never asks the GPU
      const small = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
      expect(wantsFilter(['query', 'Select(lambda e: e.nMuon).Count()', small], {})).toBe(false);
      expect(wantsFilter(['explain', 'Q', small, '--device', 'auto'], {})).toBe(false);
      expect(wantsFilter(['query', 'Q', small, '--device', 'gpu'], {})).toBe(true);
      expect(wantsFilter(['query', 'Q', small, '--fileset', 'f.json'], {})).toBe(true);
      expect(wantsFilter(['query', 'Q', 'https://host/f.root'], {})).toBe(true);
      expect(wantsFilter(['query', 'Select(lambda e: e.x)'], {})).toBe(true); // dataset inside the query text
      expect(wantsFilter(['query', 'Q', `${ROOT_DATA}NanoAODv5_sample.root`], {})).toBe(true);
      expect(wantsFilter([small], {})).toBe(false); // the REPL on a small file
      expect(wantsFilter(['repl', small], {})).toBe(false);
      expect(wantsFilter(['repl'], {})).toBe(true);
      expect(wantsFilter([`${ROOT_DATA}NanoAODv5_sample.root`], {})).toBe(true);
      expect(wantsFilter(['sql', 'SELECT 1'], {})).toBe(false);
      expect(wantsFilter(['sql', "SELECT * FROM func_adl('Select(lambda e: e.nMuon)', 'x.root')"], {})).toBe(
        true,
      );
      expect(wantsFilter(['sql', '--file', 'script.sql'], {})).toBe(true);
    },
  );
});

describe('the CLI keeps native noise out of the terminal', () => {
  it('hepq gpu-info prints the adapter (or why there is none) and nothing of Dawn/Vulkan', async () => {
    const { stdout, stderr } = await run(process.execPath, [HEPQ, 'gpu-info']);
    expect(stdout).toMatch(/^adapter: |no WebGPU/);
    expect(noiseIn(stderr)).toEqual([]);
    expect(stderr).toBe('');
    const json = await run(process.execPath, [HEPQ, 'gpu-info', '--json']);
    expect(typeof JSON.parse(json.stdout).available).toBe('boolean');
    expect(json.stderr).toBe('');
  });

  it.skipIf(!HAVE_ROOT_DATA)(
    'a query with --device auto and --device gpu: the result, and a clean stderr',
    async () => {
      const file = `${ROOT_DATA}uproot-HZZ.root`;
      const q = 'SelectMany(lambda e: e.Jet_Px).Hist(lambda x: x, bins=10, range=(-100, 100))';
      const cpu = await run(process.execPath, [HEPQ, 'query', q, file, '--device', 'cpu']);
      for (const device of ['auto', 'gpu']) {
        const { stdout, stderr } = await run(process.execPath, [HEPQ, 'query', q, file, '--device', device]);
        expect(JSON.parse(stdout).counts, device).toEqual(JSON.parse(cpu.stdout).counts);
        expect(noiseIn(stderr), device).toEqual([]);
        expect(stderr, device).toBe('');
      }
    },
  );

  it.skipIf(!HAVE_ROOT_DATA)(
    "hepq's own errors still reach stderr through the filter, with the exit code",
    async () => {
      const file = `${ROOT_DATA}uproot-HZZ.root`;
      const r = await run(process.execPath, [
        HEPQ,
        'query',
        'Select(lambda e: e.NJte)',
        file,
        '--device',
        'auto',
      ]).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code).toBe(1);
      expect((r as { stderr: string }).stderr).toContain('did you mean NJet?');
    },
  );
});

/**
 * `hepq serve` on the GPU, started as a user starts it, up to one /query answer, then stopped with SIGTERM: the
 * response body, all of its stderr, and the command names of its child processes while it served (Linux /proc).
 */
async function serveOnce(
  args: string[],
  env: NodeJS.ProcessEnv,
  query: string,
  file: string,
  stderrFile?: string,
) {
  const errFd = stderrFile === undefined ? undefined : openSync(stderrFile, 'w');
  const child = spawn(process.execPath, [HEPQ, 'serve', '--port', '0', '--device', 'gpu', ...args], {
    stdio: ['ignore', 'pipe', errFd ?? 'pipe'],
    env: { ...process.env, ...env },
  });
  if (errFd !== undefined) closeSync(errFd);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr += d;
  });
  const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace('0.0.0.0', '127.0.0.1'));
    });
    closed.then((code) => reject(new Error(`hepq serve exited ${code}: ${stderr}`)));
  });
  const proc = `/proc/${child.pid}/task/${child.pid}/children`;
  const children = existsSync(proc)
    ? readFileSync(proc, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim())
    : undefined;
  const res = await fetch(`${url}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, files: [file] }),
  });
  const body = await res.text();
  child.kill('SIGTERM');
  await closed;
  if (stderrFile !== undefined) stderr = readFileSync(stderrFile, 'utf8');
  return { status: res.status, body, stderr, children };
}

describe.skipIf(!HAVE_ROOT_DATA || process.platform === 'win32')('hepq serve keeps native noise out', () => {
  it('filters in its own process: a GPU answer, its own warning on stderr, nothing of Dawn, no second Node', async () => {
    const file = `${ROOT_DATA}uproot-HZZ.root`;
    const q = 'SelectMany(lambda e: e.Jet_Px).Hist(lambda x: x, bins=10, range=(-100, 100))';
    const cpu = JSON.parse((await run(process.execPath, [HEPQ, 'query', q, file, '--device', 'cpu'])).stdout);
    // --insecure on 0.0.0.0: the server warns on stderr (hepq's own message, which must pass)
    const args = ['--data-root', ROOT_DATA, '--host', '0.0.0.0', '--insecure'];
    const served = await serveOnce(args, {}, q, file);
    expect(served.status, served.body).toBe(200);
    expect(JSON.parse(served.body).counts).toEqual(cpu.counts);
    expect(noiseIn(served.stderr)).toEqual([]);
    expect(served.stderr).toMatch(/^\n\*\*\* WARNING \(--insecure\): hepq serve is listening on 0\.0\.0\.0 /);
    if (served.children) expect(served.children).not.toContain('node'); // awk filters, not a Node child
    // the same server with --verbose lets the GPU stack's messages through (where it prints any: llvmpipe does)
    const verbose = await serveOnce(args, { HEPQ_VERBOSE: '1' }, q, file);
    expect(JSON.parse(verbose.body).counts).toEqual(cpu.counts);
    if (noiseIn(verbose.stderr).length === 0)
      console.warn('the GPU stack printed nothing here: the filter had nothing to drop');
  });

  it('with stderr in a file (a service log), the file holds its own warning once and nothing of Dawn', async () => {
    const file = `${ROOT_DATA}uproot-HZZ.root`;
    const q = 'SelectMany(lambda e: e.Jet_Px).Hist(lambda x: x, bins=10, range=(-100, 100))';
    const dir = mkdtempSync(join(tmpdir(), 'hepq-serve-log-'));
    try {
      const args = ['--data-root', ROOT_DATA, '--host', '0.0.0.0', '--insecure'];
      const served = await serveOnce(args, {}, q, file, join(dir, 'serve.log'));
      expect(served.status, served.body).toBe(200);
      expect(noiseIn(served.stderr)).toEqual([]);
      expect(served.stderr).toMatch(
        /^\n\*\*\* WARNING \(--insecure\): hepq serve is listening on 0\.0\.0\.0 /,
      );
      expect(served.stderr.split('WARNING').length).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
