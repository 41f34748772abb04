/**
 * `npm run fuzz -- --iterations N --seed S --target root|rntuple|parquet|query|workspace|all`: runs seeded fuzz cases
 * in a child process, kills it when one case outlives --case-timeout (a hang finding), and saves every new kind of
 * finding as a replayable recipe under test/fuzz/reproducers/.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Outcome, type Recipe, storedRecipe, TARGETS, type Target } from '../../test/fuzz/cases.js';

const REPRODUCERS = fileURLToPath(new URL('../../test/fuzz/reproducers/', import.meta.url));
const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    target: { type: 'string', multiple: true, default: ['all'] },
    'case-timeout': { type: 'string', default: '120' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const iterations = Number(values.iterations);
const seed = Number(values.seed);
const caseTimeout = Number(values['case-timeout']) * 1000;
if (!Number.isInteger(iterations) || iterations < 1) fail('--iterations must be a positive integer');
if (!Number.isInteger(seed) || seed < 0) fail('--seed must be a non-negative integer');
if (!(caseTimeout > 0)) fail('--case-timeout must be a positive number of seconds');
const targets: Target[] = values.target.includes('all')
  ? [...TARGETS]
  : values.target.map((t) => (TARGETS.includes(t as Target) ? (t as Target) : fail(`unknown target ${t}`)));

function fail(msg: string): never {
  process.stderr.write(`fuzz: ${msg}\n`);
  process.exit(2);
}

interface Finding {
  readonly index: number;
  readonly recipe: Recipe;
  readonly kind: string;
  readonly message: string;
  readonly stack?: string;
}

/** Same kind, same message without its numbers, same innermost frame: one reproducer is enough. */
function signature(f: Finding): string {
  const frames = f.stack?.split('\n').filter((l) => l.trim().startsWith('at ')) ?? [];
  const frame = frames.find((l) => OWN_CODE.test(l)) ?? frames[0] ?? '';
  return `${f.recipe.target}|${f.kind}|${f.message.replace(/\d+/g, 'N').slice(0, 120)}|${frame
    .trim()
    .replace(/:\d+:\d+/g, '')
    .replace(/\(.*\/(?=(connectors|exec|query|planner|stats|src|server|udfs)\/)/, '(')}`;
}

/** A stack frame in the project's own code (the first one says where the check is missing). */
const OWN_CODE = /\/(connectors|exec|query|planner|stats|src|server|udfs)\//;

function knownSignatures(): Set<string> {
  const out = new Set<string>();
  if (!existsSync(REPRODUCERS)) return out;
  for (const f of readdirSync(REPRODUCERS).filter((n) => n.endsWith('.json')))
    out.add(JSON.parse(readFileSync(REPRODUCERS + f, 'utf8')).signature);
  return out;
}

async function runTarget(target: Target): Promise<{ counts: Map<string, number>; findings: Finding[] }> {
  const counts = new Map<string, number>();
  const findings: Finding[] = [];
  let next = 0;
  while (next < iterations) {
    next = await new Promise<number>((resolve) => {
      const child: ChildProcess = fork(WORKER, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let current: { index: number; recipe: Recipe } | undefined;
      let timer: NodeJS.Timeout | undefined;
      let stderr = '';
      let finished = false;
      child.stderr!.on('data', (d) => {
        stderr = (stderr + d).slice(-4000);
      });
      const abandon = (kind: string, message: string) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        if (!current) fail(`the worker died before its first case: ${message}\n${stderr}`);
        findings.push({ ...current, kind, message });
        counts.set('finding', (counts.get('finding') ?? 0) + 1);
        resolve(current.index + 1);
      };
      child.on('message', (m: { type: string; index: number; recipe: Recipe; outcome: Outcome }) => {
        if (m.type === 'start') {
          current = { index: m.index, recipe: m.recipe };
          clearTimeout(timer);
          timer = setTimeout(() => {
            abandon('hang', `no outcome after ${caseTimeout / 1000} s`);
            child.kill('SIGKILL');
          }, caseTimeout);
        } else if (m.type === 'done') {
          clearTimeout(timer);
          const o = m.outcome;
          const key = o.status === 'error' ? `error ${o.code}` : o.status;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          if (o.status === 'finding')
            findings.push({
              index: m.index,
              recipe: current!.recipe,
              kind: o.kind,
              message: o.message,
              stack: o.stack,
            });
          if ((m.index + 1) % 500 === 0) process.stderr.write(`  ${target}: ${m.index + 1}/${iterations}\n`);
        } else if (m.type === 'end') {
          finished = true;
          resolve(iterations);
        }
      });
      // a killed worker cannot remove its scratch folder (cases.ts names it after the worker's pid)
      child.on('exit', () =>
        rmSync(join(tmpdir(), `hepq-fuzz-${child.pid}`), { recursive: true, force: true }),
      );
      child.on('exit', (code, signal) =>
        abandon('crash', `the worker exited (${signal ?? code}): ${stderr.split('\n').slice(-5).join(' ')}`),
      );
      child.send({ target, seed, from: next, to: iterations });
    });
  }
  return { counts, findings };
}

const known = knownSignatures();
let total = 0;
for (const target of targets) {
  const { counts, findings } = await runTarget(target);
  const bySig = new Map<string, Finding>();
  for (const f of findings) if (!bySig.has(signature(f))) bySig.set(signature(f), f);
  const fresh = [...bySig].filter(([s]) => !known.has(s));
  if (!values['dry-run'] && fresh.length) {
    mkdirSync(REPRODUCERS, { recursive: true });
    for (const [sig, f] of fresh) {
      const file = `${REPRODUCERS}${target}-s${seed}-i${f.index}.json`;
      const body = {
        signature: sig,
        seed,
        index: f.index,
        kind: f.kind,
        message: f.message.slice(0, 300),
        recipe: storedRecipe(f.recipe),
      };
      writeFileSync(file, `${JSON.stringify(body, null, 1)}\n`);
    }
  }
  const errors = [...counts].filter(([k]) => k.startsWith('error ')).reduce((a, [, n]) => a + n, 0);
  process.stdout.write(
    `${target}: ${iterations} cases, ${counts.get('ok') ?? 0} read cleanly, ${errors} located errors, ${findings.length} findings (${bySig.size} distinct, ${fresh.length} new)\n`,
  );
  for (const [sig, f] of bySig)
    process.stdout.write(
      `  finding ${f.kind}: ${f.message.slice(0, 160)}\n    ${sig.split('|').at(-1)?.trim()}\n`,
    );
  total += findings.length;
}
process.exitCode = total ? 1 : 0;
