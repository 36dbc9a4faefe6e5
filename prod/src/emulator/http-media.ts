/**
 * Content negotiation as Mesos's master does it: Content-Type compared as a plain string, Accept
 * read as media ranges (q=0 refuses), JSON preferred when both are acceptable, no Accept = anything.
 */
export const JSON_TYPE = 'application/json';
export const PROTOBUF_TYPE = 'application/x-protobuf';

export function accepts(header: string | undefined, type: string): boolean {
  if (header === undefined || header.trim() === '') return true;
  const [major] = type.split('/');
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) <= 0) continue;
    if (range === type || range === '*/*' || range === `${major}/*`) return true;
  }
  return false;
}

/** The encoding of responses and the stream, or null for 406. */
export function negotiate(accept: string | undefined): 'json' | 'protobuf' | null {
  if (accepts(accept, JSON_TYPE)) return 'json';
  if (accepts(accept, PROTOBUF_TYPE)) return 'protobuf';
  return null;
}
