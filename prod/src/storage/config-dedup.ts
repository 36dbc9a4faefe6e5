import { createHash } from 'node:crypto';

/**
 * Task configurations are stored once and referred to by content hash: a record whose top-level
 * field `config` holds an object is written with `{"$config": HASH}` in its place, and the object
 * itself once per file (file backend) or once per store (zookeeper backend, `configs/HASH`).
 * Recovery puts the objects back. The hash is over a canonical form (keys sorted), so two configs
 * equal as JSON share one entry; the first one stored gives the key order recovery returns.
 */

export type ConfigTable = Map<string, unknown>;

const REF = '$config';

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function configHash(config: unknown): string {
  return createHash('sha256').update(canonical(config)).digest('hex').slice(0, 32);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Encodes records for storage. `known` maps each config object already stored (by identity) to its
 * hash, so a config shared by many tasks is hashed once; `stored` holds the hashes already written
 * where the reader will find them; new configs are added to `fresh` for the caller to write first.
 */
export class ConfigEncoder {
  private readonly byIdentity = new WeakMap<object, string>();
  /** Hashes the reader can already resolve. */
  readonly stored = new Set<string>();

  /** The record with its config replaced by a reference; new configs go into `fresh`. */
  encode(record: unknown, fresh: Map<string, unknown>): unknown {
    if (!isPlainObject(record)) return record;
    const config = record.config;
    if (!isPlainObject(config)) return record;
    let hash = this.byIdentity.get(config);
    if (hash === undefined) {
      hash = configHash(config);
      this.byIdentity.set(config, hash);
    }
    if (!this.stored.has(hash) && !fresh.has(hash)) fresh.set(hash, config);
    return { ...record, config: { [REF]: hash } };
  }

  /** Marks the configs as written where the reader finds them. */
  markStored(hashes: Iterable<string>): void {
    for (const hash of hashes) this.stored.add(hash);
  }

  /** Forgets what was stored (a new file starts, or configs were garbage-collected). */
  reset(keep: Iterable<string> = []): void {
    this.stored.clear();
    for (const hash of keep) this.stored.add(hash);
  }
}

/** A stored reference's hash, or undefined when the record has no config reference. */
export function configRef(record: unknown): string | undefined {
  if (!isPlainObject(record)) return undefined;
  const config = record.config;
  if (!isPlainObject(config)) return undefined;
  const hash = config[REF];
  return typeof hash === 'string' && Object.keys(config).length === 1 ? hash : undefined;
}

/**
 * Puts a record's config back. Returns an error message when the reference names an unknown
 * config (the caller reports it with the place it was read from).
 */
export function decodeRecord(record: unknown, table: ConfigTable): { record: unknown } | { missing: string } {
  const hash = configRef(record);
  if (hash === undefined) return { record };
  const config = table.get(hash);
  if (config === undefined) return { missing: hash };
  return { record: { ...(record as Record<string, unknown>), config } };
}
