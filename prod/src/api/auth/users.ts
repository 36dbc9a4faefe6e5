import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { UserError } from '@borealis/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isPasswordHash, isTokenHash } from './passwords.js';

/**
 * The users file (JSON or YAML):
 *   readsOpen: false            # reads (GET) without credentials allowed? default true
 *   users:
 *     - name: alice
 *       password: scrypt$16384$8$1$...   # from `borealis admin hash-password`
 *       tokens: [sha256$...]             # hashed bearer tokens
 *       roles: [www]                     # roles whose jobs alice may change
 *       admin: false                     # quotas, maintenance, admin calls
 * Plaintext passwords are refused: every secret in the file must be a hash.
 */

const userSchema = z.strictObject({
  name: z.string().min(1, 'name must not be empty'),
  password: z
    .string()
    .refine(isPasswordHash, 'password must be a scrypt hash from `borealis admin hash-password`')
    .optional(),
  tokens: z
    .array(
      z
        .string()
        .refine(isTokenHash, 'tokens must be sha256$HEX hashes (`borealis admin hash-password --token`)'),
    )
    .default([]),
  roles: z.array(z.string().min(1)).default([]),
  admin: z.boolean().default(false),
});

export const usersFileSchema = z.strictObject({
  readsOpen: z.boolean().default(true),
  users: z.array(userSchema),
});

export type UserEntry = z.output<typeof userSchema>;
export type UsersConfig = z.output<typeof usersFileSchema>;

export function parseUsers(raw: unknown, where: string): UsersConfig {
  const parsed = usersFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw UserError.fromProblems(`${where}: not a valid users file`, problems);
  }
  const names = new Set<string>();
  for (const u of parsed.data.users) {
    if (names.has(u.name)) throw new UserError(`${where}: user "${u.name}" is listed twice`);
    names.add(u.name);
  }
  return parsed.data;
}

export async function loadUsersFile(file: string): Promise<UsersConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `${file}: cannot read users file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const ext = extname(file).toLowerCase();
  let raw: unknown;
  try {
    raw = ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseUsers(raw, file);
}
