import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real ZooKeeper server (Debian's `zookeeper` package) for tests, on 127.0.0.1 only, with its own
 * data directory. Short ticks so sessions can expire in seconds: the session timeout a client asks
 * for is clamped to [minSessionTimeoutMs, maxSessionTimeoutMs].
 */
export interface ZooKeeperServer {
  /** `127.0.0.1:PORT`, a connect string for node-zookeeper-client. */
  readonly connect: string;
  readonly port: number;
  readonly dataDir: string;
  /** SIGKILL the server (data stays); `start()` brings it back on the same port and data. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the server freezes with its sockets open. */
  pause(): void;
  resume(): void;
  start(): Promise<void>;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

export interface ZooKeeperOptions {
  readonly tickMs?: number;
  readonly minSessionTimeoutMs?: number;
  readonly maxSessionTimeoutMs?: number;
}

const JAR = '/usr/share/java/zookeeper.jar';
const CONF = '/etc/zookeeper/conf';

/** A port nobody listens on right now, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ask(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write(word));
    socket.on('data', (data) => {
      answer += data.toString('utf8');
    });
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(answer));
  });
}

async function waitUntilServing(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`ZooKeeper exited with ${child.exitCode}:\n${log()}`);
    if ((await ask(port, 'ruok')) === 'imok') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ZooKeeper did not answer on 127.0.0.1:${port} within 30 s:\n${log()}`);
}

export async function startZooKeeper(options: ZooKeeperOptions = {}): Promise<ZooKeeperServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'borealis-zk-'));
  const tick = options.tickMs ?? 500;
  const config = join(dataDir, 'zoo.cfg');
  writeFileSync(
    config,
    [
      `tickTime=${tick}`,
      `dataDir=${join(dataDir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok,srvr,mntr',
      `minSessionTimeout=${options.minSessionTimeoutMs ?? 2 * tick}`,
      `maxSessionTimeout=${options.maxSessionTimeoutMs ?? 60_000}`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let output = '';
  const start = async (): Promise<void> => {
    output = '';
    const proc = spawn(
      'java',
      ['-Xmx256m', '-cp', `${CONF}:${JAR}`, 'org.apache.zookeeper.server.ZooKeeperServerMain', config],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout?.on('data', (d: Buffer) => {
      output = (output + d.toString('utf8')).slice(-4000);
    });
    proc.stderr?.on('data', (d: Buffer) => {
      output = (output + d.toString('utf8')).slice(-4000);
    });
    child = proc;
    await waitUntilServing(port, proc, () => output);
  };
  const kill = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    connect: `127.0.0.1:${port}`,
    port,
    dataDir,
    kill,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    start,
    stop: async () => {
      child?.kill('SIGCONT');
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
