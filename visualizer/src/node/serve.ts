import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Payload } from '../data/payload.js';
import type { ComparisonFile } from '../data/run-files.js';
import { ensureBundle } from './bundle.js';
import { loadComparePayload } from './load-compare.js';
import { jobEvents, loadRunPayload, SERVED_BUDGETS } from './load-run.js';

/**
 * `borealis viz`: serves a run or compare folder on 127.0.0.1 for runs too large to inline. The
 * page is the same bundle as report.html; instead of an inline payload it fetches `payload.json`
 * (built from the folder with larger budgets) and, for jobs outside the sample, `job?key=`.
 */
export interface ServeOptions {
  readonly port: number;
  readonly host?: string;
}

export interface VizServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveFolder(dir: string, opts: ServeOptions): Promise<VizServer> {
  const bundle = await ensureBundle();
  const isCompare = await fileExists(join(dir, 'comparison.json'));
  const runDirs = isCompare ? await compareRunDirs(dir) : new Set<string>();
  const payloads = new Map<string, Promise<Payload>>();

  // Folders inside a comparison are addressed by the names comparison.json lists, never by raw paths.
  const folderFor = (run: string | null): string | null => {
    if (run === null || run === '') return isCompare ? null : dir;
    return runDirs.has(run) ? join(dir, run) : null;
  };
  const payloadFor = (run: string | null): Promise<Payload> | null => {
    const key = run ?? '';
    let p = payloads.get(key);
    if (!p) {
      if (isCompare && !run) p = loadComparePayload(dir);
      else {
        const folder = folderFor(run);
        if (folder === null) return null;
        p = loadRunPayload(folder, SERVED_BUDGETS, run ?? undefined).then((x) => ({ ...x, live: true }));
      }
      p.catch(() => payloads.delete(key));
      payloads.set(key, p);
    }
    return p;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const run = url.searchParams.get('run');
    switch (url.pathname) {
      case '/':
      case '/index.html':
        return send(res, 200, 'text/html; charset=utf-8', await readFile(join(bundle.dir, 'index.html')));
      case '/app.js':
        return send(res, 200, 'text/javascript; charset=utf-8', bundle.js);
      case '/app.css':
        return send(res, 200, 'text/css; charset=utf-8', bundle.css);
      case '/payload.json': {
        const p = payloadFor(run);
        if (!p) return send(res, 404, 'text/plain', 'no such run');
        return send(res, 200, 'application/json', JSON.stringify(await p));
      }
      case '/job': {
        const folder = isCompare ? (run ? folderFor(run) : null) : dir;
        const key = url.searchParams.get('key');
        if (!folder || !key) return send(res, 404, 'text/plain', 'no such job');
        return send(res, 200, 'application/x-ndjson', await jobEvents(folder, key));
      }
      default:
        return send(res, 404, 'text/plain', 'not found');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, 'text/plain', String(err)));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function compareRunDirs(dir: string): Promise<Set<string>> {
  const c = JSON.parse(await readFile(join(dir, 'comparison.json'), 'utf8')) as ComparisonFile;
  return new Set(c.runs.map((r) => r.dir));
}

async function fileExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
