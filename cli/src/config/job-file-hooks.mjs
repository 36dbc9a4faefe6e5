/**
 * Module hooks for job files (registered with node:module's register() before the first job file
 * is imported; plain JavaScript because hooks run on the loader thread before tsx compiles
 * anything). Two things make a TypeScript job file work from any folder, not only inside the
 * repository:
 *  - `@borealis/*` imports that do not resolve from the file's own folder resolve from the CLI's
 *    installation instead (a job file in ~/jobs has no node_modules with @borealis/core);
 *  - a TypeScript job file (marked by the loader with `?borealis-job`) is always an ES module.
 *    Outside a package with "type": "module", tsx would compile its `export default` to CommonJS
 *    and Node refuses to require() @borealis/core's ES modules from it.
 */
export async function resolve(specifier, context, next) {
  let result;
  try {
    result = await next(specifier, context);
  } catch (err) {
    if (!specifier.startsWith('@borealis/') || err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    result = await next(specifier, { ...context, parentURL: import.meta.url });
  }
  if (result.url.includes('?borealis-job') && /\.m?ts\?/.test(result.url) && result.format !== 'module') {
    return { ...result, format: 'module' };
  }
  return result;
}
