import { crc32 } from 'node:zlib';

/**
 * Log record framing: a 12-byte header, then the payload.
 *
 *   u32 LE payload length | u32 LE CRC32 of the payload | u32 LE CRC32 of the 8 bytes before it
 *
 * The header has its own checksum so a damaged length can never be taken for a torn tail: a tail
 * is torn only when the file ends inside a record whose header is intact (or inside the header
 * itself), or when the last record's payload fails its checksum right at the end of the file (a
 * write that was cut off before all of its pages reached the disk). Anything else is corruption.
 */
export const HEADER_BYTES = 12;
export const MAX_PAYLOAD = 1 << 30;

export function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  out.writeUInt32LE(crc32(out.subarray(0, 8)), 8);
  payload.copy(out, HEADER_BYTES);
  return out;
}

export type ScanStep =
  | { readonly kind: 'record'; readonly offset: number; readonly payload: Buffer }
  | { readonly kind: 'torn'; readonly offset: number }
  | { readonly kind: 'corrupt'; readonly offset: number; readonly reason: string };

/**
 * Reads the records of one file's bytes in order. The last step is `torn` or `corrupt` when the
 * file does not end cleanly; the caller decides whether a torn end is allowed there (only in the
 * newest log file).
 */
export function* scanFrames(bytes: Buffer): Generator<ScanStep> {
  let offset = 0;
  while (offset < bytes.length) {
    const left = bytes.length - offset;
    if (left < HEADER_BYTES) {
      yield { kind: 'torn', offset };
      return;
    }
    const length = bytes.readUInt32LE(offset);
    const payloadCrc = bytes.readUInt32LE(offset + 4);
    const headerCrc = bytes.readUInt32LE(offset + 8);
    if (crc32(bytes.subarray(offset, offset + 8)) !== headerCrc) {
      yield { kind: 'corrupt', offset, reason: 'record header checksum mismatch' };
      return;
    }
    if (length > MAX_PAYLOAD) {
      yield { kind: 'corrupt', offset, reason: `record length ${length} is beyond any record written` };
      return;
    }
    const end = offset + HEADER_BYTES + length;
    if (end > bytes.length) {
      yield { kind: 'torn', offset };
      return;
    }
    const payload = bytes.subarray(offset + HEADER_BYTES, end);
    if (crc32(payload) !== payloadCrc) {
      if (end === bytes.length) yield { kind: 'torn', offset };
      else yield { kind: 'corrupt', offset, reason: 'record payload checksum mismatch' };
      return;
    }
    yield { kind: 'record', offset, payload };
    offset = end;
  }
}
