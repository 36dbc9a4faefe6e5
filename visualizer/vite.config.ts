import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { loadComparePayload } from './src/node/load-compare.js';
import { jobEvents, loadRunPayload, SERVED_BUDGETS } from './src/node/load-run.js';
import { viteBuildConfig } from './src/node/vite-settings.js';

/**
 * `npm run dev -w visualizer`: the page with hot reload, its data served from the folder named by
 * BOREALIS_RUN (a run folder) or BOREALIS_COMPARE (a `sim compare` folder), the way
 * `borealis viz` serves it.
 */
function devPayload(): Plugin {
  return {
    name: 'borealis-dev-payload',
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const runDir = process.env.BOREALIS_RUN;
        const compareDir = process.env.BOREALIS_COMPARE;
        try {
          if (url.pathname === '/payload.json') {
            const run = url.searchParams.get('run');
            const payload =
              compareDir && !run
                ? await loadComparePayload(resolve(compareDir))
                : {
                    ...(await loadRunPayload(
                      resolve(compareDir && run ? resolve(compareDir, run) : (runDir ?? '')),
                      SERVED_BUDGETS,
                    )),
                    live: true,
                  };
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify(payload));
            return;
          }
          if (url.pathname === '/job' && runDir) {
            res.end(await jobEvents(resolve(runDir), url.searchParams.get('key') ?? ''));
            return;
          }
        } catch (err) {
          res.statusCode = 500;
          res.end(`set BOREALIS_RUN=<run folder> or BOREALIS_COMPARE=<compare folder>: ${String(err)}`);
          return;
        }
        next();
      });
    },
  };
}

const base = viteBuildConfig(import.meta.dirname, 'dist/dev-build');
export default defineConfig({
  ...base,
  configFile: undefined,
  plugins: [devPayload()],
  server: { host: '127.0.0.1' },
});
