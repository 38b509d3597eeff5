import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, which isolated modules cannot read)

// Argon2id at RFC 9106's low-memory profile (t=3, m=64 MiB, p=4).
const OPTIONS = { algorithm: ARGON2ID, timeCost: 3, memoryCost: 65_536, parallelism: 4 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spend the same time as a real check, for logins naming a user that does not exist. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('sectorwars-dummy-password');
  await verifyPassword(await dummyHash, password);
  return false;
}
