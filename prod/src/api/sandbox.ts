import { posix } from 'node:path';
import { ApiError } from './route.js';

/** Where a task's sandbox lives: its agent's HTTP address and the sandbox directory on that agent. */
export interface SandboxLocation {
  readonly agentUrl: string;
  readonly directory: string;
}

/** Supplied by the daemon (from the agent's state); undefined when the task has no sandbox. */
export type SandboxLocator = (taskId: string) => Promise<SandboxLocation | undefined>;

export interface SandboxEntry {
  /** Relative to the sandbox root. */
  readonly path: string;
  readonly size: number;
  readonly mtime: number;
  readonly mode: string;
  readonly directory: boolean;
}

export interface SandboxChunk {
  readonly path: string;
  readonly offset: number;
  readonly data: string;
}

/** Lists and reads a task's sandbox files (Aurora's observer did this; Borealis asks the agent). */
export interface TaskSandboxes {
  list(taskId: string, path: string): Promise<SandboxEntry[]>;
  /** offset -1: the file's size (as `offset`) and no data. */
  read(taskId: string, path: string, offset: number, length: number): Promise<SandboxChunk>;
}

/** Where the daemon knows a task ran. */
export interface TaskAgent {
  readonly agentUrl: string;
  readonly agentId: string;
  /** Default: the task id (Mesos's command executor uses it as its executor id). */
  readonly executorId?: string;
}

export interface MesosLayout {
  /** The agents' --work_dir (the emulator's work directory). */
  readonly workDir: string;
  readonly frameworkId: () => string | undefined;
  readonly agentOf: (taskId: string) => TaskAgent | undefined;
}

/**
 * Finds sandboxes where Mesos puts them: WORK_DIR/slaves/AGENT/frameworks/FRAMEWORK/executors/
 * EXECUTOR/runs/RUN, taking the `latest` run link if the agent made one, else the newest run.
 */
export function mesosLayoutLocator(layout: MesosLayout, fetchImpl: typeof fetch = fetch): SandboxLocator {
  return async (taskId) => {
    const agent = layout.agentOf(taskId);
    const framework = layout.frameworkId();
    if (!agent || framework === undefined) return undefined;
    const runs = posix.join(
      layout.workDir,
      'slaves',
      agent.agentId,
      'frameworks',
      framework,
      'executors',
      agent.executorId ?? taskId,
      'runs',
    );
    const url = new URL('/files/browse', agent.agentUrl);
    url.searchParams.set('path', runs);
    let res: Response;
    try {
      res = await fetchImpl(url, { signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new ApiError(502, `agent ${agent.agentUrl} did not answer: ${(err as Error).message}`);
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw new ApiError(502, `agent ${agent.agentUrl} answered ${res.status} listing ${runs}`);
    const entries = (await res.json()) as BrowseEntry[];
    const latest = entries.find((e) => posix.basename(e.path) === 'latest');
    const newest = [...entries].sort((a, b) => b.mtime - a.mtime)[0];
    const run = latest ?? newest;
    return run ? { agentUrl: agent.agentUrl, directory: run.path } : undefined;
  };
}

interface BrowseEntry {
  path: string;
  size: number;
  mtime: number;
  mode: string;
}

/** The Mesos agent's files API (`/files/browse`, `/files/read`) over HTTP. */
export function httpSandboxes(locate: SandboxLocator, fetchImpl: typeof fetch = fetch): TaskSandboxes {
  async function where(taskId: string, path: string): Promise<{ loc: SandboxLocation; full: string }> {
    const loc = await locate(taskId);
    if (!loc) throw new ApiError(404, `task ${taskId} has no sandbox (not launched, or its agent is gone)`);
    const relative = posix.normalize(`/${path}`);
    if (path.split('/').includes('..')) throw new ApiError(400, `path "${path}" leaves the sandbox`);
    return { loc, full: posix.join(loc.directory, relative) };
  }

  async function get(
    loc: SandboxLocation,
    endpoint: string,
    query: Record<string, string>,
  ): Promise<unknown> {
    const url = new URL(endpoint, loc.agentUrl);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetchImpl(url, { signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new ApiError(502, `agent ${loc.agentUrl} did not answer: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (res.status === 404)
      throw new ApiError(404, `no such file or directory in the sandbox: ${query.path}`);
    if (!res.ok)
      throw new ApiError(502, `agent ${loc.agentUrl} answered ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as unknown;
  }

  return {
    async list(taskId, path) {
      const { loc, full } = await where(taskId, path);
      const entries = (await get(loc, '/files/browse', { path: full })) as BrowseEntry[];
      return entries.map((e) => ({
        path: posix.relative(loc.directory, e.path),
        size: e.size,
        mtime: e.mtime,
        mode: e.mode,
        directory: e.mode.startsWith('d'),
      }));
    },
    async read(taskId, path, offset, length) {
      const { loc, full } = await where(taskId, path);
      const chunk = (await get(loc, '/files/read', {
        path: full,
        offset: String(offset),
        length: String(length),
      })) as { data: string; offset: number };
      return { path, offset: chunk.offset, data: chunk.data };
    },
  };
}
