/**
 * fastify's schema compilers for the SQL app. fastify compiles every route's validator (ajv) and response
 * serializer (fast-json-stringify) when the app gets ready, which was most of `hepq serve`'s start (~0.2 s CPU,
 * and ajv again on the first request). The route schemas (schemas.ts) document the API in /docs; the handlers
 * check every field themselves with located messages, so requests are not validated against them (no ajv at all),
 * and a response serializer is loaded and compiled on its first use, with the same output.
 */
import { createRequire } from 'node:module';

type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type Compile<R> = (route: unknown) => R;
type Factory<R> = (externalSchemas: unknown, options: unknown) => Compile<R>;

/** require() as from fastify's own folder: its compilers are its dependencies, not hepq's. */
function fastifyRequire(): NodeJS.Require {
  const here = createRequire(import.meta.url);
  return createRequire(here.resolve('fastify'));
}

function lazyFactory<R>(load: () => Factory<R>, wrap: (compile: () => R) => R): Factory<R> {
  return (externalSchemas, options) => {
    let compiler: Compile<R> | undefined;
    return (route) => {
      let compiled: R | undefined;
      return wrap(() => {
        if (compiled === undefined) {
          compiler ??= load()(externalSchemas, options);
          compiled = compiler(route);
        }
        return compiled;
      });
    };
  };
}

/** `schemaController.compilersFactory` for Fastify(): documentation-only request schemas, lazy serializers. */
export function lazyCompilers() {
  const pass: Validate = () => true;
  const buildValidator: Factory<Validate> = () => () => pass;
  const buildSerializer = lazyFactory<(data: unknown) => string>(
    () =>
      (
        fastifyRequire()('@fastify/fast-json-stringify-compiler') as () => Factory<(data: unknown) => string>
      )(),
    (compile) => (data) => compile()(data),
  );
  return { buildValidator, buildSerializer };
}
