// Worker threads start without the parent's loader hooks: register tsx here so the worker can
// import the TypeScript sources, then hand over to the real worker module.
import { register } from 'tsx/esm/api';

register();
await import('./run-worker.ts');
