/**
 * What every virtual agent has: its resources (`--agent-shape cpus=8,mem=32768,disk=100000,gpus=0,
 * ports=31000-32000`) and its attributes (`--attributes rack=r%02d:20,zone=z%d:20:3`). Parse errors
 * are messages naming the bad part, for the CLI to print.
 */

export interface AgentShape {
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  portsBegin: number;
  portsEnd: number;
}

export const DEFAULT_SHAPE: AgentShape = {
  cpus: 8,
  mem: 32768,
  disk: 262144,
  gpus: 0,
  portsBegin: 31000,
  portsEnd: 32000,
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseAgentShape(text: string | undefined): Parsed<AgentShape> {
  const shape = { ...DEFAULT_SHAPE };
  if (!text) return { ok: true, value: shape };
  for (const part of text.split(',')) {
    const [key, value] = part.split('=', 2).map((s) => s.trim());
    if (!key || value === undefined)
      return { ok: false, error: `--agent-shape: '${part}' is not name=value` };
    if (key === 'ports') {
      const m = /^(\d+)-(\d+)$/.exec(value);
      if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 65535) {
        return { ok: false, error: `--agent-shape: ports '${value}' is not a range like 31000-32000` };
      }
      shape.portsBegin = Number(m[1]);
      shape.portsEnd = Number(m[2]);
      continue;
    }
    if (key !== 'cpus' && key !== 'mem' && key !== 'disk' && key !== 'gpus') {
      return { ok: false, error: `--agent-shape: unknown resource '${key}' (cpus, mem, disk, gpus, ports)` };
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) {
      return { ok: false, error: `--agent-shape: ${key}=${value} is not a non-negative number` };
    }
    if (key === 'gpus' && !Number.isInteger(n))
      return { ok: false, error: '--agent-shape: gpus must be whole' };
    shape[key] = n;
  }
  return { ok: true, value: shape };
}

/** One attribute rule: the agent's number is `floor(index / per) % mod`, printed into `pattern`. */
export interface AttributeRule {
  name: string;
  pattern: string;
  per: number;
  mod: number;
}

export const DEFAULT_ATTRIBUTES: readonly AttributeRule[] = [
  { name: 'rack', pattern: 'r%03d', per: 20, mod: 0 },
  { name: 'zone', pattern: 'z%d', per: 20, mod: 3 },
];

/** `rack=r%02d:20,zone=z%d:20:3`: a printf-style %d or %0Nd, then agents per value, then a modulus. */
export function parseAttributes(text: string | undefined): Parsed<AttributeRule[]> {
  if (!text) return { ok: true, value: [...DEFAULT_ATTRIBUTES] };
  const rules: AttributeRule[] = [];
  for (const part of text.split(',')) {
    const m = /^([A-Za-z_][\w.-]*)=([^:]*)(?::(\d+))?(?::(\d+))?$/.exec(part.trim());
    if (!m) return { ok: false, error: `--attributes: '${part}' is not name=pattern[:per[:mod]]` };
    const per = m[3] ? Number(m[3]) : 1;
    if (per < 1) return { ok: false, error: `--attributes: '${part}': agents per value must be at least 1` };
    rules.push({ name: m[1]!, pattern: m[2]!, per, mod: m[4] ? Number(m[4]) : 0 });
  }
  return { ok: true, value: rules };
}

export function attributeValue(rule: AttributeRule, index: number): string {
  let n = Math.floor(index / rule.per);
  if (rule.mod > 0) n %= rule.mod;
  return rule.pattern.replace(/%(0?)(\d*)d/, (_all, zero: string, width: string) =>
    String(n).padStart(width ? Number(width) : 0, zero ? '0' : ' '),
  );
}
