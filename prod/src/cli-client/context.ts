import { type JobConfig, type JobKey, parseJobKey, UserError } from '@borealis/core';
import type { Command } from 'commander';
import { ApiClient } from './api-client.js';
import { defaultClusterFile, resolveCluster } from './clusters.js';
import { EXIT } from './exit-codes.js';

/** A problem in a job file, as cli/src/config/load.ts reports it. */
export interface JobFileProblem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** The job file loader of cli/src/config (TS/JS/JSON/YAML, `--bind`), handed in by the cli package. */
export interface JobFiles {
  loadJobFile(
    file: string,
    options: { bindings?: Readonly<Record<string, string>> },
  ): Promise<{
    readonly jobs: readonly { readonly config: JobConfig }[];
    readonly problems: readonly JobFileProblem[];
  }>;
  formatFileProblem(p: JobFileProblem): string;
  parseBindings(flags: readonly string[]): Record<string, string>;
}

/** Where output goes and what the environment holds; tests replace it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  /** Draw progress bars (a terminal on stderr). */
  readonly progress: boolean;
}

export interface UserCommandDeps {
  readonly files: JobFiles;
  readonly io?: CliIo;
}

export const processIo = (): CliIo => ({
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  progress: process.stderr.isTTY === true,
});

export interface CommonOptions {
  readonly clusterFile?: string;
  readonly json?: boolean;
}

/** Adds the options every user command shares. */
export function common(cmd: Command): Command {
  return cmd
    .option('--cluster-file <file>', 'clusters file (default ~/.borealis/clusters.json)')
    .option('--json', 'print JSON for scripts instead of tables');
}

export async function clientFor(cluster: string, opts: CommonOptions, io: CliIo): Promise<ApiClient> {
  const file = opts.clusterFile ?? defaultClusterFile();
  return new ApiClient(await resolveCluster(cluster, file, opts.clusterFile !== undefined, io.env));
}

export interface JobPath {
  readonly cluster: string;
  readonly key: JobKey;
  /** `/api/v1/jobs/ROLE/ENV/NAME` */
  readonly url: string;
  readonly label: string;
}

/** `CLUSTER/ROLE/ENV/NAME`, as Aurora's client writes job keys. */
export function parseJobPath(text: string): JobPath {
  const parsed = parseJobKey(text, 'job');
  if (!parsed.ok || parsed.value.cluster === undefined) {
    const why = parsed.ok ? '' : ` (${parsed.problems[0]?.message})`;
    throw new UserError(`"${text}" is not a job path CLUSTER/ROLE/ENV/NAME${why}`, EXIT.usage);
  }
  const { cluster, role, environment, name } = parsed.value;
  const key = { role, environment, name };
  return {
    cluster,
    key,
    url: `/api/v1/jobs/${role}/${environment}/${name}`,
    label: `${role}/${environment}/${name}`,
  };
}

/** The job `path` names, from a job file; the file's job must be that job (and that cluster, if it names one). */
export async function jobFromFile(
  files: JobFiles,
  file: string,
  path: JobPath,
  bind: readonly string[] | undefined,
): Promise<JobConfig> {
  const loaded = await files.loadJobFile(file, { bindings: files.parseBindings(bind ?? []) });
  if (loaded.problems.length > 0) {
    throw new UserError(loaded.problems.map((p) => files.formatFileProblem(p)).join('\n'), EXIT.user);
  }
  const matches = loaded.jobs.filter(
    (j) =>
      j.config.key.role === path.key.role &&
      j.config.key.environment === path.key.environment &&
      j.config.key.name === path.key.name &&
      (j.config.key.cluster === undefined || j.config.key.cluster === path.cluster),
  );
  const only = matches[0];
  if (!only || matches.length > 1) {
    const found = loaded.jobs
      .map(
        (j) =>
          `${j.config.key.cluster ? `${j.config.key.cluster}/` : ''}${j.config.key.role}/${j.config.key.environment}/${j.config.key.name}`,
      )
      .join(', ');
    throw new UserError(
      `${file}: no job ${path.cluster}/${path.label} in this file (it defines: ${found || 'none'})`,
    );
  }
  return only.config;
}

/** `0,2,5-7` → [0, 2, 5, 6, 7]. */
export function parseInstances(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m)
      throw new UserError(
        `--instances: "${part}" is not an instance number or range (e.g. 0,2,5-7)`,
        EXIT.usage,
      );
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new UserError(`--instances: range "${part}" runs backwards`, EXIT.usage);
    for (let i = from; i <= to; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

export function positiveInt(flag: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1)
      throw new UserError(`${flag}: "${text}" is not a whole number ≥ 1`, EXIT.usage);
    return n;
  };
}
