import type protobuf from 'protobufjs';

/**
 * Enum values this subset does not know (sent by a newer Mesos) are treated the way proto2 does:
 * the field counts as unset, so an optional enum reads as its default (for Mesos's enums, UNKNOWN)
 * instead of surfacing as a bare number, and a required one makes the message invalid.
 * protobufjs keeps the number, so a decoded message is pruned here before toObject.
 */

type FieldPlan =
  | { kind: 'enum'; name: string; known: Set<number>; repeated: boolean; required: boolean }
  | { kind: 'message'; name: string; plan: TypePlan; repeated: boolean; map: boolean };

interface TypePlan {
  typeName: string;
  fields: FieldPlan[];
}

export class UnknownRequiredEnumError extends Error {
  constructor(typeName: string, field: string, value: number) {
    super(`${typeName}.${field}: enum value ${value} is unknown and the field is required`);
    this.name = 'UnknownRequiredEnumError';
  }
}

const plans = new Map<protobuf.Type, TypePlan>();

function planFor(type: protobuf.Type): TypePlan {
  const existing = plans.get(type);
  if (existing) return existing;
  const plan: TypePlan = { typeName: type.fullName.replace(/^\./, ''), fields: [] };
  plans.set(type, plan); // registered before recursing, so recursive types terminate
  for (const field of type.fieldsArray) {
    const resolved = field.resolve().resolvedType;
    if (resolved && 'values' in resolved && !('fieldsArray' in resolved)) {
      const known = new Set<number>(Object.values((resolved as protobuf.Enum).values));
      plan.fields.push({
        kind: 'enum',
        name: field.name,
        known,
        repeated: field.repeated,
        required: field.required,
      });
    } else if (resolved && 'fieldsArray' in resolved) {
      plan.fields.push({
        kind: 'message',
        name: field.name,
        plan: planFor(resolved as protobuf.Type),
        repeated: field.repeated,
        map: field.map,
      });
    }
  }
  return plan;
}

/** Whether any enum can be reached from this plan (plans without one are skipped entirely). */
const reachesEnum = new Map<TypePlan, boolean>();
function hasEnum(plan: TypePlan, seen = new Set<TypePlan>()): boolean {
  const known = reachesEnum.get(plan);
  if (known !== undefined) return known;
  if (seen.has(plan)) return false;
  seen.add(plan);
  const result = plan.fields.some((f) => f.kind === 'enum' || hasEnum(f.plan, seen));
  if (seen.size === 1 || result) reachesEnum.set(plan, result);
  return result;
}

const trimmed = new Set<TypePlan>();
/** Keeps only the fields worth visiting (enums, and messages that lead to one), once per plan. */
function trim(plan: TypePlan): void {
  if (trimmed.has(plan)) return;
  const all = plan.fields;
  for (const f of all) if (f.kind === 'message') hasEnum(f.plan);
  trimmed.add(plan);
  plan.fields = all.filter((f) => f.kind === 'enum' || hasEnum(f.plan));
  for (const f of plan.fields) if (f.kind === 'message') trim(f.plan);
}

type Decoded = Record<string, unknown>;

function prune(plan: TypePlan, message: Decoded): void {
  for (const field of plan.fields) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    if (field.kind === 'enum') {
      if (field.repeated) {
        const list = value as number[];
        if (list.some((v) => !field.known.has(v)))
          message[field.name] = list.filter((v) => field.known.has(v));
      } else if (!field.known.has(value as number)) {
        if (field.required) throw new UnknownRequiredEnumError(plan.typeName, field.name, value as number);
        delete message[field.name];
      }
    } else {
      if (field.map) for (const v of Object.values(value as Decoded)) prune(field.plan, v as Decoded);
      else if (field.repeated) for (const v of value as Decoded[]) prune(field.plan, v);
      else prune(field.plan, value as Decoded);
    }
  }
}

/** Drops unknown enum values from a message protobufjs decoded (throws for a required one). */
export function pruneUnknownEnums(type: protobuf.Type, message: protobuf.Message): void {
  const plan = planFor(type);
  trim(plan);
  if (plan.fields.length > 0) prune(plan, message as unknown as Decoded);
}
