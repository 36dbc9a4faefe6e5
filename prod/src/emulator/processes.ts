import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Master } from './master.js';
import { isTerminal, type Task, type TaskProcess } from './model.js';
import type { HealthCheckShape } from './shapes.js';

/**
 * Agent mode `--real-processes`: a task's command runs as a local process (`sh -c` for shell
 * commands, as Mesos's command executor does) in its own sandbox under the work directory, with
 * MESOS_* and PORT* variables; its health check is probed for real from here; a kill sends SIGTERM
 * to its process group and SIGKILL after the grace period.
 */
export class ProcessRunner {
  private readonly live = new Set<ChildProcess>();

  constructor(
    private readonly master: Master,
    readonly workDir: string,
  ) {}

  sandboxOf(task: Task): string {
    const agentId = this.master.agents.ids[task.agent]!;
    return join(
      this.workDir,
      'slaves',
      agentId,
      'frameworks',
      task.framework.id,
      'executors',
      task.executorId,
      'runs',
      randomUUID(),
    );
  }

  launch(task: Task): void {
    const m = this.master;
    const command = task.info.command!;
    const sandbox = this.sandboxOf(task);
    mkdirSync(sandbox, { recursive: true });
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: sandbox };
    env.MESOS_SANDBOX = sandbox;
    env.MESOS_DIRECTORY = sandbox;
    env.MESOS_TASK_ID = task.id;
    env.MESOS_FRAMEWORK_ID = task.framework.id;
    env.MESOS_EXECUTOR_ID = task.executorId;
    env.MESOS_AGENT_ID = m.agents.ids[task.agent]!;
    env.MESOS_AGENT_ENDPOINT = `${m.agents.hostnames[task.agent]}:5051`;
    env.HOST = m.agents.hostnames[task.agent]!;
    task.amounts.ports.forEach((port, k) => {
      env[`PORT${k}`] = String(port);
    });
    if (task.amounts.ports.length > 0) {
      env.PORT = String(task.amounts.ports[0]);
      env.PORTS = task.amounts.ports.join(',');
    }
    const named = (
      task.info.discovery as { ports?: { ports?: { number: number; name?: string }[] } } | undefined
    )?.ports?.ports;
    for (const p of named ?? [])
      if (p.name) env[`PORT_${p.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = String(p.number);
    for (const v of command.environment?.variables ?? []) if (v.value !== undefined) env[v.name] = v.value;
    const out = openSync(join(sandbox, 'stdout'), 'a');
    const err = openSync(join(sandbox, 'stderr'), 'a');
    const shell = command.shell ?? true;
    const child = shell
      ? spawn('/bin/sh', ['-c', command.value ?? ''], {
          cwd: sandbox,
          env,
          stdio: ['ignore', out, err],
          detached: true,
        })
      : spawn(command.value ?? '', command.arguments?.slice(1) ?? [], {
          cwd: sandbox,
          env,
          stdio: ['ignore', out, err],
          detached: true,
        });
    closeSync(out);
    closeSync(err);
    this.live.add(child);
    let killTimer: NodeJS.Timeout | null = null;
    let termSent = false;
    let stopped = false;
    const signalGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const handle: TaskProcess = {
      pid: child.pid,
      sandbox,
      terminate: (graceMs) => {
        termSent = true;
        signalGroup('SIGTERM');
        killTimer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      },
      stop: () => {
        // The task ended (or was forgotten): make sure nothing of it keeps running.
        stopped = true;
        signalGroup('SIGKILL');
      },
    };
    task.process = handle;
    child.on('error', (e) => {
      this.live.delete(child);
      if (!stopped)
        m.lifecycle.update(task, 'TASK_FAILED', { message: `Failed to launch command: ${e.message}` });
    });
    child.on('exit', (code, signal) => {
      this.live.delete(child);
      if (killTimer) clearTimeout(killTimer);
      if (stopped || isTerminal(task.state)) return;
      if (signal) {
        if (termSent || task.killRequested)
          m.lifecycle.killed(task, signal === 'SIGKILL' ? 'Killed' : 'Terminated');
        else
          m.lifecycle.update(task, 'TASK_FAILED', {
            message: `Command terminated with signal ${signalName(signal)}`,
          });
      } else if (task.killRequested) {
        m.lifecycle.killed(task, 'Terminated');
      } else {
        m.lifecycle.exited(task, code ?? 1);
      }
    });
    child.on('spawn', () => {
      m.lifecycle.running(task);
      if (task.info.health_check) this.healthChecks(task, task.info.health_check, () => this.live.has(child));
    });
  }

  /** Mesos's checker: after delay_seconds, every interval_seconds; failures inside the grace period don't count. */
  private healthChecks(task: Task, check: HealthCheckShape, alive: () => boolean): void {
    const m = this.master;
    const started = Date.now();
    const graceMs = (check.grace_period_seconds ?? 10) * 1000;
    let everHealthy = false;
    const probeOnce = async (): Promise<void> => {
      if (isTerminal(task.state) || task.killRequested || !alive()) return;
      const ok = await probe(check, m.agents.hostnames[task.agent]!);
      if (isTerminal(task.state) || task.killRequested) return;
      if (ok) everHealthy = true;
      if (ok || everHealthy || Date.now() - started > graceMs) m.lifecycle.healthResult(task, ok);
      setTimeout(() => void probeOnce(), (check.interval_seconds ?? 10) * 1000).unref();
    };
    setTimeout(() => void probeOnce(), (check.delay_seconds ?? 15) * 1000).unref();
  }

  stopAll(): void {
    for (const child of this.live) {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    this.live.clear();
  }
}

function signalName(signal: NodeJS.Signals): string {
  const names: Record<string, string> = {
    SIGTERM: 'Terminated',
    SIGKILL: 'Killed',
    SIGINT: 'Interrupt',
    SIGSEGV: 'Segmentation fault',
  };
  return names[signal] ?? signal;
}

/** One probe of a health check: HTTP status 200-399, a TCP connect, or a command exiting 0. */
export function probe(check: HealthCheckShape, _host: string): Promise<boolean> {
  const timeoutMs = (check.timeout_seconds ?? 20) * 1000;
  if (check.type === 'HTTP' && check.http) {
    const http = check.http;
    return new Promise((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: http.port, path: http.path ?? '/', method: 'GET', timeout: timeoutMs },
        (res) => {
          res.resume();
          const code = res.statusCode ?? 0;
          resolve(code >= 200 && code < 400);
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
  }
  if (check.type === 'TCP' && check.tcp) {
    const port = check.tcp.port;
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.setTimeout(timeoutMs);
      socket.on('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(false));
    });
  }
  if (check.type === 'COMMAND' && check.command) {
    const value = check.command.value ?? 'true';
    return new Promise((resolve) => {
      const child = spawn('/bin/sh', ['-c', value], { stdio: 'ignore', timeout: timeoutMs });
      child.on('exit', (code) => resolve(code === 0));
      child.on('error', () => resolve(false));
    });
  }
  return Promise.resolve(true);
}
