import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../platform/config.js';
import { readKeyDir, stampOf, writeNewKey } from '../../platform/keys.js';

/**
 * `sectorwars keys rotate [--at <ISO time>]`: add a signing key to JWT_KEYS_DIR (DATA_DIR/keys in
 * embedded mode). It signs from that time on (now by default); the key before it stays accepted
 * for one access-token lifetime. `list` shows the keys; `export-public <dir>` writes their public
 * halves, the only key material realtime and regional servers need.
 */
export async function run(args: string[]): Promise<void> {
  const config = loadConfig();
  const dir = config.jwt.keysDir;
  if (!dir) {
    process.stderr.write('sectorwars keys: set JWT_KEYS_DIR (server mode keeps its signing keys there)\n');
    process.exit(78);
  }
  const [command, ...rest] = args;
  switch (command) {
    case 'rotate': {
      const at = rest[0] === '--at' && rest[1] ? Date.parse(rest[1]) : Date.now();
      if (Number.isNaN(at)) {
        process.stderr.write('sectorwars keys rotate: --at takes an ISO time such as 2026-12-02T08:00:00Z\n');
        process.exit(2);
      }
      const { file, kid } = writeNewKey(dir, at);
      process.stdout.write(
        `new key ${kid}\n  file ${file}\n  signs from ${new Date(at).toISOString()}; the previous key is accepted until ${new Date(at + (config.jwt.accessTtlSeconds + 60) * 1000).toISOString()}\n`,
      );
      return;
    }
    case 'list': {
      for (const key of readKeyDir(dir)) process.stdout.write(`${stampOf(key.startsMs)}  ${key.kid}  ${key.privateKey ? 'private' : 'public'}\n`);
      return;
    }
    case 'export-public': {
      const target = rest[0];
      if (!target) break;
      mkdirSync(target, { recursive: true });
      for (const key of readKeyDir(dir)) {
        writeFileSync(path.join(target, `${stampOf(key.startsMs)}.pub.pem`), key.publicKey.export({ format: 'pem', type: 'spki' }) as string);
      }
      process.stdout.write(`public keys written to ${target}\n`);
      return;
    }
  }
  process.stderr.write('usage: sectorwars keys rotate [--at <ISO time>] | list | export-public <dir>\n');
  process.exit(2);
}
