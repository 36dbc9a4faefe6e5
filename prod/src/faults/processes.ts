import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `borealis` command of this checkout, run as users run it. */
const BOREALIS = fileURLToPath(new URL('../../../cli/bin/borealis.mjs', import.meta.url));

export interface Started {
  readonly child: ChildProcess;
  /** The URL the process printed when it was ready. */
  readonly url: string;
  /** Everything it wrote to stderr so far (its logs), for failure messages. */
  logs(): string;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
  /** SIGTERM, and wait until it exits (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts `borealis ARGS…` as a separate process and resolves once it prints a line matching
 * `ready` (its URL). Fault tests kill these processes for real.
 */
export function startBorealis(args: readonly string[], ready: RegExp, timeoutMs = 60_000): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-semi-space-size=32', BOREALIS, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let settled = false;
    const timer = setTimeout(
      () => fail(new Error(`borealis ${args[0]} did not start in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\nstdout: ${out}\nstderr: ${err.slice(-4000)}`));
    };
    child.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString('utf8')).slice(-200_000);
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = ready.exec(out);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        const exited = new Promise<number | null>((r) => {
          if (child.exitCode !== null || child.signalCode !== null) r(child.exitCode);
          else child.once('exit', (code) => r(code));
        });
        resolve({
          child,
          url: m[1] ?? m[0],
          logs: () => err,
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
          stop: async (graceMs = 20_000) => {
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
            const code = await exited;
            clearTimeout(t);
            return code;
          },
        });
      }
    });
    child.on('exit', (code, signal) =>
      fail(new Error(`borealis ${args[0]} exited (${code ?? signal}) before it was ready`)),
    );
  });
}

export function startEmulatorProcess(args: readonly string[] = []): Promise<Started> {
  return startBorealis(['mesos', 'emulate', '--port', '0', ...args], /^(http:\/\/127\.0\.0\.1:\d+)$/m);
}

export function startSchedulerProcess(args: readonly string[]): Promise<Started> {
  return startBorealis(
    ['scheduler', 'run', '--api-port', '0', '--log-level', 'info', ...args],
    /API on (http:\/\/127\.0\.0\.1:\d+)/,
  );
}

export async function http<T = unknown>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json: json as T };
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
