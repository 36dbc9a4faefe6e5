import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * The project's own Mesos subset (mesos.proto, scheduler.proto beside this file), loaded once by
 * protobufjs with keepCase, so field names stay Mesos's snake_case ones on every object.
 */
const here = fileURLToPath(new URL('.', import.meta.url));

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // Imports name files beside this one ("mesos.proto"), not paths relative to the caller.
  root.resolvePath = (_origin, target) => here + target;
  root.loadSync('scheduler.proto', { keepCase: true });
  root.resolveAll();
  return root;
}

export const mesosRoot: protobuf.Root = loadRoot();

/** A message type of the subset by its full name, e.g. `mesos.v1.TaskStatus` (programmer error if absent). */
export function messageType(fullName: string): protobuf.Type {
  return mesosRoot.lookupType(fullName);
}

export const CallType: protobuf.Type = messageType('mesos.v1.scheduler.Call');
export const EventType: protobuf.Type = messageType('mesos.v1.scheduler.Event');
