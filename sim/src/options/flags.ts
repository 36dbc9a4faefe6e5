import { parseDuration, type Resources, UserError } from '@borealis/core';

/**
 * Parsing of individual command-line values. Each function throws a UserError naming the flag,
 * so the CLI prints `borealis: --flag: ...` and exits non-zero.
 */
export function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new UserError(`${flag}: "${text}" is not a duration (examples: 30s, 90m, 36h, 2d, 1500)`, 2);
  }
  return ms;
}

export function positiveDurationFlag(flag: string, text: string): number {
  const ms = durationFlag(flag, text);
  if (ms <= 0) throw new UserError(`${flag}: must be longer than 0 (got "${text}")`, 2);
  return ms;
}

export function integerFlag(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new UserError(`${flag}: "${text}" must be an integer ${range}`, 2);
  }
  return n;
}

export function positiveNumberFlag(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UserError(`${flag}: "${text}" must be a number greater than 0`, 2);
  }
  return n;
}

export function listFlag(flag: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s.length === 0)) throw new UserError(`${flag}: "${text}" has an empty item`, 2);
  return items;
}

export function integerListFlag(flag: string, text: string, min: number): number[] {
  return listFlag(flag, text).map((item) => integerFlag(flag, item, min));
}

/** `--launch-latency 1s,2s`: ASSIGNED→STARTING, then STARTING→RUNNING. One value means both. */
export function latencyPairFlag(flag: string, text: string): readonly [number, number] {
  const parts = listFlag(flag, text).map((p) => durationFlag(flag, p));
  if (parts.length === 1) return [parts[0]!, parts[0]!];
  if (parts.length === 2) return [parts[0]!, parts[1]!];
  throw new UserError(
    `${flag}: "${text}" must be one or two durations (ASSIGNED→STARTING,STARTING→RUNNING)`,
    2,
  );
}

const SHAPE_KEYS: Readonly<Record<string, keyof Resources>> = {
  cpu: 'cpu',
  cpus: 'cpu',
  ram: 'ramMb',
  rammb: 'ramMb',
  mem: 'ramMb',
  disk: 'diskMb',
  diskmb: 'diskMb',
  gpu: 'gpus',
  gpus: 'gpus',
};

export const DEFAULT_HOST_SHAPE: Resources = { cpu: 32, ramMb: 131072, diskMb: 1048576, gpus: 0 };

/** `--host-shape cpu=32,ramMb=131072,diskMb=1048576,gpus=0`; omitted keys keep `base`. */
export function hostShapeFlag(flag: string, text: string, base: Resources = DEFAULT_HOST_SHAPE): Resources {
  return { ...base, ...hostShapeKeys(flag, text) };
}

/** Only the keys `--host-shape` names (the rest stay each host's own). */
export function hostShapeKeys(flag: string, text: string): Partial<Resources> {
  const shape: Partial<Record<keyof Resources, number>> = {};
  for (const item of listFlag(flag, text)) {
    const eq = item.indexOf('=');
    const key = SHAPE_KEYS[(eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase()];
    if (eq < 0 || key === undefined) {
      throw new UserError(`${flag}: "${item}" must be key=value with key one of cpu, ramMb, diskMb, gpus`, 2);
    }
    const value = Number(item.slice(eq + 1));
    if (item.slice(eq + 1).trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new UserError(`${flag}: "${item}" needs a non-negative number`, 2);
    }
    shape[key] = value;
  }
  if (shape.cpu === 0 || shape.ramMb === 0)
    throw new UserError(`${flag}: cpu and ramMb must be greater than 0`, 2);
  return shape;
}
