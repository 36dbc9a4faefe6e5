import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { decodeEvent, encodeCall } from '../mesos/messages.js';
import { RecordIODecoder } from '../mesos/recordio.js';
import type { Emulator } from './emulator.js';
import type { EventShape, OfferShape } from './shapes.js';

export interface RoundTripOptions {
  /** Tasks to bring to RUNNING. */
  tasks: number;
  /** Tasks per ACCEPT (per offer). */
  tasksPerOffer: number;
  /** Concurrent call connections (the keep-alive pool). */
  connections?: number;
  /** Tasks launched but not yet RUNNING at most; offers wait (held, not declined) beyond it. */
  window?: number;
}

export interface RoundTripFigures {
  [key: string]: number;
  tasks: number;
  accepts: number;
  acknowledgements: number;
  wallMs: number;
  /** CPU time of this process (emulator and driver when in-process) during the run. */
  cpuMs: number;
  roundTripsPerSecond: number;
  /** Round trips per CPU second: what a loaded machine's wall clock hides. */
  roundTripsPerCpuSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/**
 * A minimal framework over raw HTTP and protobuf, for benchmarks: it subscribes, answers each offer
 * with one ACCEPT of `tasksPerOffer` small command tasks until `tasks` are launched, acknowledges
 * every update, and times offer -> ACCEPT -> RUNNING per task (from the ACCEPT call to the RUNNING
 * update). At most `window` tasks are in flight; further offers are held until RUNNING updates free
 * the window, so the figure is a steady rate rather than one burst. Resolves when every task is RUNNING.
 */
export function measureRoundTrips(emulator: Emulator, options: RoundTripOptions): Promise<RoundTripFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections ?? 8 });
  const url = new URL(emulator.url);
  let frameworkId = '';
  let streamId = '';
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let launched = 0;
  let accepts = 0;
  let acks = 0;
  const window = options.window ?? 1000;
  const held: OfferShape[] = [];
  const start = performance.now();
  const cpuStart = process.cpuUsage();

  const post = (body: Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/api/v1/scheduler',
          method: 'POST',
          agent,
          headers: { 'Content-Type': 'application/x-protobuf', 'Mesos-Stream-Id': streamId },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 202 ? resolve() : reject(new Error(`call got ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const callBytes = (value: Record<string, unknown>): Uint8Array =>
    encodeCall({ framework_id: { value: frameworkId }, ...value } as never);

  return new Promise((resolve, reject) => {
    const launchHeld = (): void => {
      const declined: { value: string }[] = [];
      while (held.length > 0 && sentAt.size + options.tasksPerOffer <= window) {
        const offer = held.shift()!;
        const n = Math.min(options.tasksPerOffer, options.tasks - launched);
        if (n <= 0) {
          declined.push(offer.id);
          continue;
        }
        const tasks = [];
        for (let k = 0; k < n; k++) {
          const id = `rt-${launched++}`;
          tasks.push({
            name: id,
            task_id: { value: id },
            agent_id: offer.agent_id,
            resources: [
              { name: 'cpus', type: 'SCALAR', scalar: { value: 0.01 } },
              { name: 'mem', type: 'SCALAR', scalar: { value: 1 } },
            ],
            command: { value: 'sleep 3600', shell: true },
          });
        }
        const now = performance.now();
        for (const t of tasks) sentAt.set(t.task_id.value, now);
        accepts++;
        post(
          callBytes({
            type: 'ACCEPT',
            accept: {
              offer_ids: [offer.id],
              operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }],
              filters: { refuse_seconds: 3600 },
            },
          }),
        ).catch(reject);
      }
      if (declined.length > 0) {
        post(
          callBytes({ type: 'DECLINE', decline: { offer_ids: declined, filters: { refuse_seconds: 3600 } } }),
        ).catch(reject);
      }
    };
    const onEvent = (event: EventShape): void => {
      if (event.type === 'SUBSCRIBED') frameworkId = event.subscribed!.framework_id.value;
      else if (event.type === 'OFFERS') {
        held.push(...event.offers!.offers);
        launchHeld();
      } else if (event.type === 'UPDATE') {
        const status = event.update!.status;
        if (status.uuid) {
          acks++;
          post(
            callBytes({
              type: 'ACKNOWLEDGE',
              acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
            }),
          ).catch(reject);
        }
        if (status.state === 'TASK_RUNNING') {
          const t0 = sentAt.get(status.task_id.value);
          if (t0 !== undefined) {
            sentAt.delete(status.task_id.value);
            latencies.push(performance.now() - t0);
            if (latencies.length === options.tasks) finish();
            else launchHeld();
          }
        } else if (status.state !== 'TASK_STARTING') {
          reject(new Error(`task ${status.task_id.value} went ${status.state}: ${status.message ?? ''}`));
        }
      }
    };
    const sub = request(
      {
        host: url.hostname,
        port: url.port,
        path: '/api/v1/scheduler',
        method: 'POST',
        headers: { 'Content-Type': 'application/x-protobuf', Accept: 'application/x-protobuf' },
      },
      (res) => {
        streamId = String(res.headers['mesos-stream-id'] ?? '');
        const decoder = new RecordIODecoder();
        res.on('data', (chunk: Buffer) => {
          for (const record of decoder.push(chunk)) onEvent(decodeEvent(record) as unknown as EventShape);
        });
        res.on('error', () => {});
      },
    );
    sub.on('error', () => {});
    sub.end(
      encodeCall({
        type: 'SUBSCRIBE',
        subscribe: { framework_info: { user: 'bench', name: 'round-trips', failover_timeout: 60 } },
      } as never),
    );
    const finish = (): void => {
      const wallMs = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      sub.destroy();
      agent.destroy();
      latencies.sort((a, b) => a - b);
      const q = (p: number): number =>
        Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 10) / 10;
      resolve({
        tasks: options.tasks,
        accepts,
        acknowledgements: acks,
        wallMs: Math.round(wallMs),
        cpuMs: Math.round(cpuMs),
        roundTripsPerSecond: Math.round((options.tasks / wallMs) * 1000),
        roundTripsPerCpuSecond: Math.round((options.tasks / cpuMs) * 1000),
        latencyP50Ms: q(0.5),
        latencyP99Ms: q(0.99),
      });
    };
  });
}
