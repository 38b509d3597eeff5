import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports for servers that tests start on the host network (containers, compose, a Swarm): free
 * now and below the kernel's ephemeral range. A port from the ephemeral range (what listen(0)
 * gives) can be taken by any outgoing connection before the server that was meant to have it
 * binds, and a pool's connection holds it for good: the server then fails to listen
 * (EADDRINUSE) and restarts until the test gives up.
 */
const EPHEMERAL = '/proc/sys/net/ipv4/ip_local_port_range';
const LOWEST = 20_000;

export function ephemeralStart(): number {
  return existsSync(EPHEMERAL) ? Number(readFileSync(EPHEMERAL, 'utf8').trim().split(/\s+/)[0]) : 32_768;
}

/** `count` ports in one block (base, base + 1, …) starting on a multiple of `align`, every one free now. */
export async function quietPortBlock(count: number, align = 20): Promise<number> {
  const top = Math.min(ephemeralStart(), 60_000) - count;
  const blocks = Math.floor((top - LOWEST) / align);
  if (blocks <= 0) throw new Error(`no room for ${count} ports between ${LOWEST} and the ephemeral range at ${ephemeralStart()}`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = LOWEST + Math.floor(Math.random() * blocks) * align;
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error(`no free block of ${count} ports below ${ephemeralStart()}`);
}

/** `count` distinct ports below the ephemeral range, every one free now. */
export async function quietPorts(count: number): Promise<number[]> {
  const base = await quietPortBlock(count, 1);
  return Array.from({ length: count }, (_, i) => base + i);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
