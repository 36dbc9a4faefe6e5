/**
 * The Mesos v1 scheduler API (see README.md): messages in protobuf and Mesos's JSON, RecordIO framing,
 * and the scheduler client.
 */
export * from './client/index.js';
export * from './messages.js';
export { DEFAULT_MAX_RECORD_BYTES, encodeRecord, RecordIODecoder, RecordIOError } from './recordio.js';
