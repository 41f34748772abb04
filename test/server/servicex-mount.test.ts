/** `buildServer` hosts the ServiceX transformer plugin under /servicex behind the same bearer hook. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../server/http/app.js';
import { servicexPlugin } from '../../server/servicex/index.js';
import { LocalPool, TransformService } from '../../server/transform/index.js';

describe('the HTTP app with the ServiceX plugin mounted', () => {
  const service = new TransformService({
    dataDir: mkdtempSync(join(tmpdir(), 'hepq-sx-')),
    dispatcher: new LocalPool({ concurrency: 1 }),
  });
  afterAll(() => service.close());

  it('guards /servicex with the shared bearer token and still serves SQL', async () => {
    const { app } = await buildServer({ token: 'tok-123' });
    await app.register(servicexPlugin, { prefix: '/servicex', service });
    try {
      const anonymous = await app.inject({ method: 'GET', url: '/servicex/transformation' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.code).toBe('server/unauthorized');
      const listed = await app.inject({
        method: 'GET',
        url: '/servicex/transformation',
        headers: { authorization: 'Bearer tok-123' },
      });
      expect(listed.statusCode).toBe(200);
      expect(listed.json()).toEqual({ requests: [] });
      const sql = await app.inject({
        method: 'POST',
        url: '/sql',
        headers: { authorization: 'Bearer tok-123' },
        payload: { sql: 'SELECT 6 * 7 AS x' },
      });
      expect(sql.json()).toEqual([{ x: 42 }]);
    } finally {
      await app.close();
    }
  });
});
