import { createECDH, createHash, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The ES256 signing keys of access tokens.
 *
 * A key directory holds one PEM file per key, named by the UTC time it starts signing
 * (`20261202T061500Z.key.pem`, PKCS#8 private key; a verify-only copy may hold
 * `….pub.pem`, SPKI public keys). The newest key whose time has come signs; a key stays
 * accepted for one access-token lifetime after its successor's time (tokens it signed are still
 * live), and a key whose time is still ahead is published and accepted already (pre-published,
 * so every verifier knows it before any token carries it). Each key's `kid` is its RFC 7638
 * JWK thumbprint.
 */
export interface RingKey {
  kid: string;
  /** When it starts signing (ms). */
  startsMs: number;
  publicKey: KeyObject;
  /** Absent in verify-only rings. */
  privateKey?: KeyObject;
  jwk: PublicJwk;
}

export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

export interface KeyRing {
  /** The key that signs now (undefined in a verify-only ring). */
  signingKey(nowMs: number): RingKey | undefined;
  /** The public key for `kid` if tokens under it are still accepted at `nowMs`. */
  verifyingKey(kid: string, nowMs: number): KeyObject | undefined;
  /** Every key still accepted (or pre-published) at `nowMs`. */
  published(nowMs: number): PublicJwk[];
  /** Re-read the source (a new key dropped into the directory by a rotation). */
  reload(): void;
}

const FILE = /^(\d{8}T\d{6}Z)(?:-[A-Za-z0-9_-]+)?\.(key|pub)\.pem$/;

export function stampOf(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function msOfStamp(stamp: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

export function ringKey(startsMs: number, key: KeyObject): RingKey {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const raw = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string };
  if (raw.kty !== 'EC' || raw.crv !== 'P-256') throw new Error('access-token keys must be EC P-256 (ES256)');
  // RFC 7638: the SHA-256 of the required members in lexicographic order, no whitespace.
  const kid = createHash('sha256')
    .update(JSON.stringify({ crv: raw.crv, kty: raw.kty, x: raw.x, y: raw.y }))
    .digest('base64url');
  return {
    kid,
    startsMs,
    publicKey,
    ...(key.type === 'private' ? { privateKey: key } : {}),
    jwk: { kty: 'EC', crv: 'P-256', x: raw.x, y: raw.y, kid, alg: 'ES256', use: 'sig' },
  };
}

export function newKeyPair(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/** The acceptance rule, over any list of keys (see the module comment). */
export function staticKeyRing(keys: RingKey[], ttlSeconds: number): KeyRing & { keys: RingKey[] } {
  const ring = {
    keys,
    signingKey(nowMs: number) {
      return activeOf(ring.keys, nowMs, true);
    },
    verifyingKey(kid: string, nowMs: number) {
      const key = ring.keys.find((k) => k.kid === kid);
      return key && accepted(ring.keys, key, nowMs, ttlSeconds) ? key.publicKey : undefined;
    },
    published(nowMs: number) {
      return ring.keys.filter((k) => accepted(ring.keys, k, nowMs, ttlSeconds)).map((k) => k.jwk);
    },
    reload() {},
  };
  return ring;
}

function activeOf(keys: RingKey[], nowMs: number, needPrivate: boolean): RingKey | undefined {
  let best: RingKey | undefined;
  for (const k of keys) {
    if (k.startsMs > nowMs || (needPrivate && !k.privateKey)) continue;
    if (!best || k.startsMs > best.startsMs) best = k;
  }
  return best;
}

function accepted(keys: RingKey[], key: RingKey, nowMs: number, ttlSeconds: number): boolean {
  if (key.startsMs > nowMs) return true; // pre-published
  const successor = keys.filter((k) => k.startsMs > key.startsMs && k.startsMs <= nowMs).sort((a, b) => a.startsMs - b.startsMs)[0];
  // One token lifetime after the successor took over (plus a minute of clock skew), none it signed is live.
  return !successor || nowMs < successor.startsMs + (ttlSeconds + 60) * 1000;
}

/** Reads the key files of `dir`; an unknown kid re-reads it (at most every few seconds). */
export function fileKeyRing(dir: string, ttlSeconds: number, options: { createIfEmpty: boolean }): KeyRing {
  const inner = staticKeyRing([], ttlSeconds);
  let loadedAt = 0;
  const load = () => {
    inner.keys = readKeyDir(dir);
    loadedAt = Date.now();
  };
  if (options.createIfEmpty) ensureInitialKey(dir);
  load();
  if (inner.keys.length === 0) throw new Error(`no access-token keys in ${dir}: run \`sectorwars keys rotate\` to make one`);
  const refresh = (minAgeMs: number) => {
    if (Date.now() - loadedAt < minAgeMs) return;
    try {
      load();
    } catch {
      // A half-copied directory: keep what we had and try again later.
      loadedAt = Date.now();
    }
  };
  return {
    signingKey(nowMs) {
      refresh(60_000);
      return inner.signingKey(nowMs);
    },
    verifyingKey(kid, nowMs) {
      const key = inner.verifyingKey(kid, nowMs);
      if (key || inner.keys.some((k) => k.kid === kid)) return key;
      refresh(5_000);
      return inner.verifyingKey(kid, nowMs);
    },
    published(nowMs) {
      refresh(60_000);
      return inner.published(nowMs);
    },
    reload: load,
  };
}

export function readKeyDir(dir: string): RingKey[] {
  if (!existsSync(dir)) return [];
  const keys: RingKey[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = FILE.exec(name);
    if (!m) continue;
    const pem = readFileSync(path.join(dir, name), 'utf8');
    const key = m[2] === 'key' ? createPrivateKey(pem) : createPublicKey(pem);
    const entry = ringKey(msOfStamp(m[1]!), key);
    // A private and a public file of one key: keep the private one.
    const same = keys.findIndex((k) => k.kid === entry.kid);
    if (same === -1) keys.push(entry);
    else if (entry.privateKey) keys[same] = entry;
  }
  return keys;
}

/**
 * Add a key that starts signing at `startsMs` (now, by default; later, to pre-publish it for
 * verifiers that cache the JWKS). Returns its file.
 */
export function writeNewKey(dir: string, startsMs = Date.now()): { file: string; kid: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = newKeyPair();
  const file = path.join(dir, `${stampOf(startsMs)}.key.pem`);
  writeFileSync(file, key.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600, flag: 'wx' });
  return { file, kid: ringKey(startsMs, key).kid };
}

/**
 * Embedded mode's first start: one key, made once. Several processes starting together race for
 * one fixed name; `link` is atomic, so exactly one key wins and the others read it.
 */
function ensureInitialKey(dir: string): void {
  if (readKeyDir(dir).some((k) => k.privateKey)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.initial-${process.pid}-${Date.now()}.tmp`);
  writeFileSync(tmp, newKeyPair().export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
  try {
    linkSync(tmp, path.join(dir, '19700101T000000Z-initial.key.pem'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Server mode without JWT_KEYS_DIR: one key derived from JWT_SECRET, so every replica given the
 * same secret signs alike (as HS256 did), but without rotation. Production sets JWT_KEYS_DIR.
 */
export function derivedKey(secret: string): RingKey {
  const order = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
  const seed = createHmac('sha256', secret).update('sectorwars es256 access-token key v1').digest('hex');
  const scalar = (BigInt(`0x${seed}`) % (order - 1n)) + 1n;
  const d = Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const privateKey = createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', d: d.toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  return ringKey(0, privateKey);
}

/**
 * A ring of public keys only, from a JWKS (what `/.well-known/jwks.json` serves): realtime and
 * regional servers verify with it and can sign nothing. The JWKS lists only keys still accepted.
 */
export function jwksKeyRing(jwks: { keys: PublicJwk[] }): KeyRing {
  const byKid = new Map(jwks.keys.map((jwk) => [jwk.kid, createPublicKey({ key: { ...jwk }, format: 'jwk' })]));
  return {
    signingKey: () => undefined,
    verifyingKey: (kid) => byKid.get(kid),
    published: () => jwks.keys,
    reload: () => {},
  };
}

/** The same ring without its private keys: realtime (and later regional servers) verify, never sign. */
export function publicView(ring: KeyRing): KeyRing {
  return {
    signingKey: () => undefined,
    verifyingKey: (kid, nowMs) => ring.verifyingKey(kid, nowMs),
    published: (nowMs) => ring.published(nowMs),
    reload: () => ring.reload(),
  };
}
