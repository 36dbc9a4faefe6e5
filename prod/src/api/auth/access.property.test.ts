import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Access, AccessControl, type Principal } from './access.js';
import { parseUsers } from './users.js';

const roles = fc.constantFrom('www', 'batch', 'ads');
const principal = fc.option(
  fc.record({
    name: fc.constantFrom('a', 'b'),
    roles: fc.uniqueArray(roles, { maxLength: 3 }).map((r) => new Set(r)),
    admin: fc.boolean(),
    via: fc.constantFrom('password' as const, 'token' as const),
  }),
  { nil: undefined },
);
const access: fc.Arbitrary<Access> = fc.oneof(
  fc.constant({ kind: 'public' as const }),
  fc.constant({ kind: 'read' as const }),
  fc.constant({ kind: 'admin' as const }),
  roles.map((role) => ({ kind: 'role' as const, role })),
);

describe('authorization decisions', () => {
  it('allow exactly: public; reads by anyone known (or anyone when open); a role by its members; everything by admins', () => {
    fc.assert(
      fc.property(principal, access, fc.boolean(), (who: Principal | undefined, need, readsOpen) => {
        const d = new AccessControl(parseUsers({ readsOpen, users: [] }, 'test')).decide(who, need);
        const expected =
          need.kind === 'public' ||
          (need.kind === 'read' && (who !== undefined || readsOpen)) ||
          who?.admin === true ||
          (need.kind === 'role' && who?.roles.has(need.role) === true);
        expect(d.allow).toBe(expected);
        if (!d.allow) expect(d.status).toBe(who === undefined ? 401 : 403);
      }),
    );
  });
});
