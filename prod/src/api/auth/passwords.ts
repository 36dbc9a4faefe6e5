import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password and token hashing. Passwords: scrypt with a random 16-byte salt, stored as
 * `scrypt$N$r$p$SALT$HASH` (base64), compared in constant time. Bearer tokens are random and
 * long, so one SHA-256 is enough to keep them useless at rest: `sha256$HEX`.
 */

const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, PARAMS.N, PARAMS.r, PARAMS.p);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `stored` is a hash this module can check (used when loading a users file). */
export function isPasswordHash(stored: string): boolean {
  const parts = stored.split('$');
  return (
    parts.length === 6 &&
    parts[0] === 'scrypt' &&
    [parts[1], parts[2], parts[3]].every((n) => /^[1-9]\d*$/.test(n ?? '')) &&
    (parts[4] ?? '').length > 0 &&
    (parts[5] ?? '').length > 0
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!isPasswordHash(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split('$') as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function hashToken(token: string): string {
  return `sha256$${createHash('sha256').update(token).digest('hex')}`;
}

export function isTokenHash(stored: string): boolean {
  return /^sha256\$[0-9a-f]{64}$/.test(stored);
}

/** Constant-time comparison of two token hashes. */
export function sameTokenHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A new random bearer token (to hand to a user once) and the hash to store. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}
