import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  hashToken,
  isPasswordHash,
  newToken,
  sameTokenHash,
  verifyPassword,
} from './passwords.js';

describe('passwords and tokens', () => {
  it('salts each hash, verifies the right password only, and never stores it', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(isPasswordHash(a)).toBe(true);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
  });

  it('stores tokens as SHA-256 hashes and compares them', () => {
    const { token, hash } = newToken();
    expect(hash).toBe(hashToken(token));
    expect(hash).not.toContain(token);
    expect(sameTokenHash(hash, hashToken(token))).toBe(true);
    expect(sameTokenHash(hash, hashToken(`${token}x`))).toBe(false);
  });
});
