/**
 * Aurora constraint grammar, keyed by host attribute name:
 * - `"zone": "a"` value; `"zone": "a,b"` any of a list; `"zone": "!a"` / `"!a,b"` none of them.
 * - `"host": "limit:1"` at most N live tasks of this job per distinct attribute value.
 * - `"dedicated": "role/name"` (or `*` in place of the role, for any role): the task may only run on
 *   hosts whose `dedicated` attribute matches, and such hosts only accept matching jobs.
 */
export type Constraint =
  | {
      readonly attribute: string;
      readonly kind: 'value';
      readonly values: readonly string[];
      readonly negated: boolean;
    }
  | { readonly attribute: string; readonly kind: 'limit'; readonly limit: number };

export const DEDICATED_ATTRIBUTE = 'dedicated';
