// Worker entry when running from TypeScript sources (tests, tsx): register tsx's loader, then hand piscina the
// handler of the TypeScript worker module named in workerData. The bundled build points piscina at the worker directly.
import { workerData } from 'piscina';
import { register } from 'tsx/esm/api';

register();
const mod = await import(workerData.module);
export default mod.default;
