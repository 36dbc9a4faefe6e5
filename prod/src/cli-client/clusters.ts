import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@borealis/core';
import { z } from 'zod';

/**
 * Clusters the CLI can talk to, from `~/.borealis/clusters.json` or `--cluster-file` (Aurora's
 * clusters.json, a list):
 *   [{ "name": "west", "url": "https://scheduler.west:8081", "token": "...", "caFile": "/etc/ca.pem" }]
 * Credentials: `token`, or `user` + `password`, in the file or from BOREALIS_TOKEN /
 * BOREALIS_USER + BOREALIS_PASSWORD (the environment wins). `devcluster` is
 * http://127.0.0.1:8081 (`borealis dev-cluster`) unless the file names it.
 */

const clusterSchema = z.strictObject({
  name: z.string().min(1),
  url: z.url(),
  token: z.string().optional(),
  user: z.string().optional(),
  password: z.string().optional(),
  caFile: z.string().optional(),
});
const fileSchema = z.array(clusterSchema);

export type ClusterEntry = z.output<typeof clusterSchema>;

export interface Cluster {
  readonly name: string;
  readonly url: string;
  /** The Authorization header value, if any. */
  readonly authorization?: string;
  readonly caFile?: string;
}

export const DEV_CLUSTER: ClusterEntry = { name: 'devcluster', url: 'http://127.0.0.1:8081' };

export function defaultClusterFile(): string {
  return join(homedir(), '.borealis', 'clusters.json');
}

/** The named cluster; `explicit` is true when the user gave --cluster-file (then it must exist). */
export async function resolveCluster(
  name: string,
  file: string,
  explicit: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Cluster> {
  const entries = await readClusters(file, explicit);
  const entry = entries.find((c) => c.name === name) ?? (name === DEV_CLUSTER.name ? DEV_CLUSTER : undefined);
  if (!entry) {
    const known = [...entries.map((c) => c.name), DEV_CLUSTER.name].join(', ');
    throw new UserError(`unknown cluster "${name}" (known: ${known}; clusters are listed in ${file})`);
  }
  const token = env.BOREALIS_TOKEN ?? entry.token;
  const user = env.BOREALIS_USER ?? entry.user;
  const password = env.BOREALIS_PASSWORD ?? entry.password;
  let authorization: string | undefined;
  if (token) authorization = `Bearer ${token}`;
  else if (user !== undefined && password !== undefined)
    authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return {
    name: entry.name,
    url: entry.url.replace(/\/+$/, ''),
    ...(authorization && { authorization }),
    ...(entry.caFile && { caFile: entry.caFile }),
  };
}

async function readClusters(file: string, explicit: boolean): Promise<ClusterEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UserError(
      `${file}: cannot read the clusters file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not JSON (${(err as Error).message})`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UserError(`${file}: ${first?.path.join('.') || 'top level'}: ${first?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
