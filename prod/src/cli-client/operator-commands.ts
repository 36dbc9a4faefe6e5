import { createInterface } from 'node:readline';
import { UserError } from '@borealis/core';
import type { Command } from 'commander';
import { hashPassword, newToken } from '../api/auth/passwords.js';
import { type CliIo, type CommonOptions, clientFor, common } from './context.js';
import { EXIT } from './exit-codes.js';
import { json, table } from './table.js';

interface Quota {
  role: string;
  quota?: Record<string, number>;
  consumed: Record<string, number>;
}

const nonNegative = (flag: string) => (text: string) => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new UserError(`${flag}: "${text}" is not a number ≥ 0`, EXIT.usage);
  return n;
};

function printQuota(io: CliIo, q: Quota): void {
  const keys = ['cpu', 'ramMb', 'diskMb', 'gpus'];
  io.out(
    table(
      ['ROLE', 'RESOURCE', 'QUOTA', 'CONSUMED'],
      keys.map((k) => [q.role, k, q.quota?.[k] ?? 'none', q.consumed[k] ?? 0]),
    ),
  );
}

export function quotaCommands(program: Command, io: CliIo): void {
  const quota = program.command('quota').description("a role's quota: get, set (admins)");
  common(quota.command('get'))
    .description("a role's quota and its production consumption")
    .argument('<where>', 'CLUSTER/ROLE')
    .action(async (where: string, opts: CommonOptions) => {
      const [cluster, role] = split(where);
      const q = await (await clientFor(cluster, opts, io)).get<Quota>(`/api/v1/quotas/${role}`);
      if (opts.json) return io.out(json(q));
      printQuota(io, q);
    });
  common(quota.command('set'))
    .description("set a role's quota (admins)")
    .argument('<where>', 'CLUSTER/ROLE')
    .requiredOption('--cpu <n>', 'cores', nonNegative('--cpu'))
    .requiredOption('--ram-mb <n>', 'RAM in MiB', nonNegative('--ram-mb'))
    .requiredOption('--disk-mb <n>', 'disk in MiB', nonNegative('--disk-mb'))
    .option('--gpus <n>', 'GPUs', nonNegative('--gpus'), 0)
    .action(
      async (
        where: string,
        opts: CommonOptions & { cpu: number; ramMb: number; diskMb: number; gpus: number },
      ) => {
        const [cluster, role] = split(where);
        const q = await (await clientFor(cluster, opts, io)).put<Quota>(`/api/v1/quotas/${role}`, {
          cpu: opts.cpu,
          ramMb: opts.ramMb,
          diskMb: opts.diskMb,
          gpus: opts.gpus,
        });
        if (opts.json) return io.out(json(q));
        printQuota(io, q);
      },
    );
}

function split(where: string): [string, string] {
  const parts = where.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1])
    throw new UserError(`"${where}" is not CLUSTER/ROLE`, EXIT.usage);
  return [parts[0], parts[1]];
}

export function adminCommands(program: Command, io: CliIo): void {
  const admin = program
    .command('admin')
    .description('operators: maintenance, reconcile, snapshot, password hashes');
  const maintenance = admin
    .command('maintenance')
    .description('host maintenance: start, drain, activate, status');
  const modes = {
    start: ['start', 'schedule maintenance: the hosts are used last'],
    drain: [
      'drain',
      "drain hosts, SLA-aware (tasks move only as fast as their jobs' SLAs allow, until the drain timeout)",
    ],
    activate: ['activate', 'end maintenance: the hosts take tasks again'],
  } as const;
  for (const [verb, [endpoint, what]] of Object.entries(modes)) {
    common(maintenance.command(verb))
      .description(what)
      .argument('<cluster>', 'CLUSTER')
      .argument('<hosts...>', 'host names')
      .action(async (cluster: string, hosts: string[], opts: CommonOptions) => {
        const r = await (await clientFor(cluster, opts, io)).post<{ host: string; mode: string }[]>(
          `/api/v1/maintenance/${endpoint}`,
          { hosts },
        );
        io.out(
          opts.json
            ? json(r)
            : table(
                ['HOST', 'MODE'],
                r.map((h) => [h.host, h.mode]),
              ),
        );
      });
  }
  common(maintenance.command('status'))
    .description('maintenance mode of hosts (default: every host put in maintenance)')
    .argument('<cluster>', 'CLUSTER')
    .argument('[hosts...]', 'host names')
    .action(async (cluster: string, hosts: string[], opts: CommonOptions) => {
      const q = hosts.length ? `?hosts=${encodeURIComponent(hosts.join(','))}` : '';
      const r = await (await clientFor(cluster, opts, io)).get<{ host: string; mode: string }[]>(
        `/api/v1/maintenance${q}`,
      );
      io.out(
        opts.json
          ? json(r)
          : table(
              ['HOST', 'MODE'],
              r.map((h) => [h.host, h.mode]),
            ),
      );
    });

  for (const op of ['reconcile', 'snapshot'] as const) {
    common(admin.command(op))
      .description(
        op === 'reconcile'
          ? 'reconcile task states with the Mesos master now'
          : 'write a storage snapshot now',
      )
      .argument('<cluster>', 'CLUSTER')
      .action(async (cluster: string, opts: CommonOptions) => {
        const r = await (await clientFor(cluster, opts, io)).post<Record<string, unknown>>(
          `/api/v1/admin/${op}`,
        );
        io.out(
          opts.json
            ? json(r)
            : `${op}: ${Object.entries(r)
                .map(([k, v]) => `${k}=${v}`)
                .join(' ')}\n`,
        );
      });
  }

  admin
    .command('hash-password')
    .description('hash a password read from stdin for the users file (or, with --token, make a bearer token)')
    .option(
      '--token',
      'generate a random bearer token; prints the token (give it to the user) and its hash (for the file)',
    )
    .action(async (opts: { token?: boolean }) => {
      if (opts.token) {
        const { token, hash } = newToken();
        io.out(`token: ${token}\nhash:  ${hash}\n`);
        return;
      }
      const password = await readLine();
      if (!password)
        throw new UserError(
          'no password on stdin (e.g. `read -s pw; echo "$pw" | borealis admin hash-password`)',
        );
      io.out(`${await hashPassword(password)}\n`);
    });
}

function readLine(): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin });
    let first: string | undefined;
    rl.on('line', (line) => {
      if (first === undefined) {
        first = line;
        rl.close();
      }
    });
    rl.on('close', () => resolve(first ?? ''));
  });
}
