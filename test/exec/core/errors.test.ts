/** The error kernel: every code has a kind, bugs say they are bugs, and HTTP maps kinds to statuses. */
import { describe, expect, it } from 'vitest';
import { HepqError, kindOfCode } from '../../../exec/core/index.js';
import { asHepqError, statusFor } from '../../../server/http/error-body.js';

describe('error kinds', () => {
  it.each([
    ['query/syntax', 'syntax'],
    ['syntax', 'syntax'],
    ['cli/bad-number', 'syntax'],
    ['root/corrupt-block', 'data'],
    ['rntuple/checksum-mismatch', 'data'],
    ['io/not-found', 'data'],
    ['stats/workspace', 'data'],
    ['root/unsupported', 'unsupported'],
    ['server/timeout', 'resource'],
    ['sql/result-too-large', 'resource'],
    ['server/busy', 'resource'],
    ['type', 'plan'],
    ['query/unknown-name', 'plan'],
    ['internal/bug', 'internal'],
  ])('%s is a %s error', (code, kind) => {
    expect(kindOfCode(code)).toBe(kind);
    expect(new HepqError(code, 'm').kind).toBe(kind);
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
