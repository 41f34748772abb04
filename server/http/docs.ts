/**
 * `/docs` (the OpenAPI description and swagger-ui), set up on its first request: @fastify/swagger and
 * @fastify/swagger-ui (with @fastify/static) cost ~0.1 s CPU to load and register, most servers never show them,
 * and a server answers its first query sooner without them. The app's routes are recorded as they are added;
 * the first /docs request builds a small fastify app holding the same routes (schemas only) and the two plugins,
 * and every /docs request is answered by it (inject), so the description lists exactly the app's routes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RouteOptions } from 'fastify';
import { lazyCompilers } from './lazy-compilers.js';

interface Recorded {
  readonly method: HTTPMethods | HTTPMethods[];
  readonly url: string;
  readonly schema: RouteOptions['schema'];
}

/** Headers of the docs app's answer passed on (not those of its own connection). */
const PASSED = ['content-type', 'location', 'cache-control', 'etag', 'last-modified', 'vary'];

export function lazyDocs(app: FastifyInstance, openapi: Record<string, unknown>): void {
  const routes: Recorded[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/')) return;
    routes.push({ method: route.method, url: route.url, schema: route.schema });
  });
  let docs: Promise<FastifyInstance> | undefined;
  const build = async (): Promise<FastifyInstance> => {
    const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
      import('fastify'),
      import('@fastify/swagger'),
      import('@fastify/swagger-ui'),
    ]);
    // documentation only: no validators, no serializers compiled for the recorded routes
    const d: FastifyInstance = Fastify({ schemaController: { compilersFactory: lazyCompilers() as never } });
    await d.register(swagger, { openapi });
    await d.register(swaggerUi, { routePrefix: '/docs' });
    const answer = async () => null;
    for (const r of routes)
      d.route({
        method: r.method,
        url: r.url,
        exposeHeadRoute: false,
        handler: answer,
        ...(r.schema ? { schema: r.schema } : {}),
      });
    await d.ready();
    return d;
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    docs ??= build().catch((e) => {
      docs = undefined;
      throw e;
    });
    const res = await (await docs).inject({
      method: request.method as 'GET' | 'HEAD',
      url: request.url,
      headers: { host: request.headers.host ?? 'localhost' },
    });
    for (const h of PASSED) if (res.headers[h] !== undefined) reply.header(h, res.headers[h]);
    return reply.code(res.statusCode).send(res.rawPayload);
  };
  const hide = { schema: { hide: true } };
  app.route({ method: ['GET', 'HEAD'], url: '/docs', exposeHeadRoute: false, ...hide, handler });
  app.route({ method: ['GET', 'HEAD'], url: '/docs/*', exposeHeadRoute: false, ...hide, handler });
}
