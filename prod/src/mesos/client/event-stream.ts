import type { Readable } from 'node:stream';
import { RecordIODecoder } from '../recordio.js';
import type { Event } from '../scheduler-types.js';
import { MesosConnectionError } from './errors.js';

/**
 * The events of a SUBSCRIBE response body: RecordIO records, each one encoded Event. Ends by throwing,
 * since a subscription stream never ends normally: the master closed it, it broke, or it sent bytes
 * that are not RecordIO (a clear RecordIOError) or not an Event.
 */
export async function* readEvents(
  body: Readable,
  decode: (record: Uint8Array) => Event,
): AsyncGenerator<Event> {
  const decoder = new RecordIODecoder();
  for await (const chunk of body) {
    for (const record of decoder.push(chunk as Buffer)) yield decode(record);
  }
  throw new MesosConnectionError('the master closed the subscription stream');
}
