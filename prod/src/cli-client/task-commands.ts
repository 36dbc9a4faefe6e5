import { TASK_STATES, UserError } from '@borealis/core';
import type { Command } from 'commander';
import { type CliIo, type CommonOptions, clientFor, common, positiveInt } from './context.js';
import { EXIT } from './exit-codes.js';
import { json, table, time } from './table.js';

interface Task {
  taskId: string;
  job: string;
  instance: number;
  state: string;
  host?: string;
}

export function taskCommands(program: Command, io: CliIo): void {
  const task = program
    .command('task')
    .description('tasks: list, events, pending reasons, sandbox files and logs');

  common(task.command('list'))
    .description('tasks of a cluster by job, state or host (live ones and recently ended ones)')
    .argument('<cluster>', 'CLUSTER')
    .option('--job <role/env/name>', 'only this job')
    .option('--state <state>', `only this state (${TASK_STATES.join(', ')})`)
    .option('--host <host>', 'only tasks on this host')
    .action(
      async (cluster: string, opts: CommonOptions & { job?: string; state?: string; host?: string }) => {
        if (opts.state !== undefined && !(TASK_STATES as readonly string[]).includes(opts.state))
          throw new UserError(
            `--state: "${opts.state}" is not a task state (${TASK_STATES.join(', ')})`,
            EXIT.usage,
          );
        const q = new URLSearchParams();
        if (opts.job) q.set('job', opts.job);
        if (opts.state) q.set('state', opts.state);
        if (opts.host) q.set('host', opts.host);
        const tasks = await (await clientFor(cluster, opts, io)).get<Task[]>(`/api/v1/tasks?${q}`);
        if (opts.json) return io.out(json(tasks));
        io.out(
          table(
            ['TASK', 'JOB', 'INSTANCE', 'STATE', 'HOST'],
            tasks.map((t) => [t.taskId, t.job, t.instance, t.state, t.host]),
          ),
        );
      },
    );

  common(task.command('events'))
    .description("a task's state transitions")
    .argument('<cluster>', 'CLUSTER')
    .argument('<task>', 'task id')
    .action(async (cluster: string, taskId: string, opts: CommonOptions) => {
      const events = await (await clientFor(cluster, opts, io)).get<
        { time: number; state: string; host?: string; reason?: string }[]
      >(`/api/v1/tasks/${encodeURIComponent(taskId)}/events`);
      if (opts.json) return io.out(json(events));
      io.out(
        table(
          ['TIME', 'STATE', 'HOST', 'REASON'],
          events.map((e) => [time(e.time), e.state, e.host, e.reason]),
        ),
      );
    });

  common(task.command('pending'))
    .description('why tasks are pending: each pending group and the reasons hosts rejected it')
    .argument('<cluster>', 'CLUSTER')
    .option('--job <role/env/name>', 'only this job')
    .action(async (cluster: string, opts: CommonOptions & { job?: string }) => {
      const q = opts.job ? `?job=${encodeURIComponent(opts.job)}` : '';
      const groups = await (await clientFor(cluster, opts, io)).get<
        { job: string; instances: number[]; message: string }[]
      >(`/api/v1/pending${q}`);
      if (opts.json) return io.out(json(groups));
      io.out(
        table(
          ['JOB', 'INSTANCES', 'WHY'],
          groups.map((g) => [g.job, g.instances.join(','), g.message]),
        ),
      );
    });

  common(task.command('files'))
    .description("list a directory of a task's sandbox")
    .argument('<cluster>', 'CLUSTER')
    .argument('<task>', 'task id')
    .argument('[path]', 'directory inside the sandbox', '')
    .action(async (cluster: string, taskId: string, path: string, opts: CommonOptions) => {
      const entries = await (await clientFor(cluster, opts, io)).get<
        { path: string; size: number; mtime: number; mode: string }[]
      >(`/api/v1/tasks/${encodeURIComponent(taskId)}/files?path=${encodeURIComponent(path)}`);
      if (opts.json) return io.out(json(entries));
      io.out(
        table(
          ['MODE', 'SIZE', 'MODIFIED', 'PATH'],
          entries.map((e) => [e.mode, e.size, time(e.mtime * 1000), e.path]),
        ),
      );
    });

  common(task.command('logs'))
    .description("print a task's stdout (or stderr, or any sandbox file)")
    .argument('<cluster>', 'CLUSTER')
    .argument('<task>', 'task id')
    .option('--stderr', 'stderr instead of stdout')
    .option('--file <path>', 'another file of the sandbox')
    .option('--tail <bytes>', 'only the last bytes', positiveInt('--tail'))
    .action(
      async (
        cluster: string,
        taskId: string,
        opts: CommonOptions & { stderr?: boolean; file?: string; tail?: number },
      ) => {
        const client = await clientFor(cluster, opts, io);
        const file = opts.file ?? (opts.stderr ? 'stderr' : 'stdout');
        const base = `/api/v1/tasks/${encodeURIComponent(taskId)}/files/read?path=${encodeURIComponent(file)}`;
        const size = (await client.get<{ offset: number }>(`${base}&offset=-1`)).offset;
        let offset = opts.tail === undefined ? 0 : Math.max(0, size - opts.tail);
        let text = '';
        while (offset < size) {
          const chunk = await client.get<{ data: string; offset: number }>(
            `${base}&offset=${offset}&length=65536`,
          );
          if (chunk.data.length === 0) break;
          text += chunk.data;
          offset += Buffer.byteLength(chunk.data);
        }
        io.out(opts.json ? json({ path: file, size, data: text }) : text);
      },
    );
}
