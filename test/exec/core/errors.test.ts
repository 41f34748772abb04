/** The error kernel: every code has a kind, bugs say they are bugs, and HTTP maps kinds to statuses. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HepqError, kindOfCode } from '../../../exec/core/index.js';
import { asHepqError, statusFor } from '../../../server/http/error-body.js';

const REPO = join(import.meta.dirname, '../../..');

describe('error kinds', () => {
  it.each([
    ['query/syntax', 'syntax'],
    ['cli/usage', 'syntax'],
    ['cli/bad-number', 'syntax'],
    ['root/corrupt-block', 'data'],
    ['rntuple/checksum-mismatch', 'data'],
    ['io/not-found', 'data'],
    ['stats/workspace', 'data'],
    ['root/unsupported', 'unsupported'],
    ['server/timeout', 'resource'],
    ['sql/result-too-large', 'resource'],
    ['server/busy', 'resource'],
    ['planner/type', 'plan'],
    ['stats/no-limit', 'plan'],
    ['gpu/unavailable', 'resource'],
    ['exec/unsupported', 'unsupported'],
    ['exec/internal', 'internal'],
    ['query/unknown-name', 'plan'],
    ['internal/bug', 'internal'],
  ])('%s is a %s error', (code, kind) => {
    expect(kindOfCode(code)).toBe(kind);
    expect(new HepqError(code, 'm').kind).toBe(kind);
  });

  it('every code a throw site names is layer/name (lower case, no legacy spellings)', () => {
    const bad: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.ts'))
          for (const m of readFileSync(full, 'utf8').matchAll(/new HepqError\(\s*'([^']*)'/g))
            if (!/^[a-z][a-z0-9-]*\/[a-z0-9-]+$/.test(m[1]!)) bad.push(`${full}: ${m[1]}`);
      }
    };
    for (const top of ['query', 'planner', 'exec', 'connectors', 'udfs', 'stats', 'server'])
      walk(join(REPO, top));
    expect(bad).toEqual([]);
  });

  it('an explicit kind wins over the code', () => {
    expect(new HepqError('query/x', 'm', { kind: 'resource' }).kind).toBe('resource');
  });

  it('a bug names itself, keeps its cause and carries the input to report', () => {
    const cause = new TypeError("Cannot read properties of undefined (reading 'x')");
    const e = HepqError.internal('compiling the query', cause, 'Select(lambda e: e.x)');
    expect(e.kind).toBe('internal');
    expect(e.message).toContain('this is a bug in hepq');
    expect(e.message).toContain('TypeError');
    expect(e.cause).toBe(cause);
    expect(e.render()).toContain('Select(lambda e: e.x)');
  });

  it('HTTP: a bug is a 500, a user mistake a 4xx', () => {
    const bug = asHepqError(new TypeError('boom'));
    expect(bug.kind).toBe('internal');
    expect(statusFor(bug.code, bug.kind)).toBe(500);
    const typo = new HepqError('query/unknown-name', 'no branch x');
    expect(statusFor(typo.code, typo.kind)).toBe(400);
    expect(statusFor('server/busy', 'resource')).toBe(429);
  });
});
