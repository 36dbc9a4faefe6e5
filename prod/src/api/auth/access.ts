import { createHash } from 'node:crypto';
import { hashToken, sameTokenHash, verifyPassword } from './passwords.js';
import type { UserEntry, UsersConfig } from './users.js';

/** What a route needs: a read, a change to one role's jobs, or an admin's say. */
export type Access =
  | { readonly kind: 'public' }
  | { readonly kind: 'read' }
  | { readonly kind: 'role'; readonly role: string }
  | { readonly kind: 'admin' };

export interface Principal {
  readonly name: string;
  readonly roles: ReadonlySet<string>;
  readonly admin: boolean;
  readonly via: 'password' | 'token';
}

export type Decision =
  | { readonly allow: true; readonly reason: string }
  | { readonly allow: false; readonly status: 401 | 403; readonly reason: string };

export type Authentication =
  | { readonly ok: true; readonly principal?: Principal }
  | { readonly ok: false; readonly reason: string };

const CACHE_LIMIT = 1024;

/**
 * Who is calling (Basic user:password or Bearer token) and whether they may. Without a users
 * config, authentication is off and every call is allowed (the dev cluster). scrypt is slow by
 * design, so a verified Basic header is remembered (by its SHA-256, never in clear) for later calls.
 */
export class AccessControl {
  private readonly verified = new Map<string, string>();
  private readonly byName: ReadonlyMap<string, UserEntry>;

  constructor(private readonly config: UsersConfig | undefined) {
    this.byName = new Map((config?.users ?? []).map((u) => [u.name, u]));
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  async authenticate(header: string | undefined): Promise<Authentication> {
    if (!this.config || header === undefined || header === '') return { ok: true };
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'bearer') {
      const hash = hashToken(value);
      for (const u of this.config.users) {
        if (u.tokens.some((t) => sameTokenHash(t, hash)))
          return { ok: true, principal: principal(u, 'token') };
      }
      return { ok: false, reason: 'unknown bearer token' };
    }
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { ok: false, reason: 'malformed Basic credentials' };
      const name = decoded.slice(0, colon);
      const user = this.byName.get(name);
      const cacheKey = createHash('sha256').update(header).digest('hex');
      if (user && this.verified.get(cacheKey) === name)
        return { ok: true, principal: principal(user, 'password') };
      if (!user?.password || !(await verifyPassword(decoded.slice(colon + 1), user.password)))
        return { ok: false, reason: `bad user name or password for "${name}"` };
      if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
      this.verified.set(cacheKey, name);
      return { ok: true, principal: principal(user, 'password') };
    }
    return { ok: false, reason: `unsupported authorization scheme "${scheme}"` };
  }

  decide(who: Principal | undefined, access: Access): Decision {
    if (access.kind === 'public') return { allow: true, reason: 'public' };
    if (!this.config) return { allow: true, reason: 'authentication off' };
    if (access.kind === 'read') {
      if (who) return { allow: true, reason: 'read by a user' };
      return this.config.readsOpen
        ? { allow: true, reason: 'reads are open' }
        : { allow: false, status: 401, reason: 'reads need credentials' };
    }
    if (!who) return { allow: false, status: 401, reason: 'credentials required' };
    if (who.admin) return { allow: true, reason: 'admin' };
    if (access.kind === 'admin') return { allow: false, status: 403, reason: `${who.name} is not an admin` };
    if (who.roles.has(access.role)) return { allow: true, reason: `member of role ${access.role}` };
    return { allow: false, status: 403, reason: `${who.name} may not act on role ${access.role}` };
  }
}

function principal(u: UserEntry, via: Principal['via']): Principal {
  return { name: u.name, roles: new Set(u.roles), admin: u.admin, via };
}
