import { randomBytes } from 'node:crypto';
import type { Bus } from './bus/index.js';

/**
 * WebSocket tickets: the API hands an authenticated caller a random, single-use ticket that lives
 * on the bus for a few seconds, and the realtime process redeems it at the upgrade. Access tokens
 * never appear in a URL (where proxies and logs would keep them), and any process can redeem a
 * ticket that any other issued.
 */
export const TICKET_TTL_SECONDS = 30;

/** Who the ticket was issued to: what realtime needs from the access token, and nothing more. */
export interface TicketHolder {
  userId: string;
  sessionId: string;
  scopes: string[];
}

const TICKET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const ticketKey = (ticket: string) => `realtime:ticket:${ticket}`;

export async function issueTicket(bus: Bus, holder: TicketHolder, ttlMs = TICKET_TTL_SECONDS * 1000): Promise<string> {
  const ticket = randomBytes(32).toString('base64url');
  await bus.set(ticketKey(ticket), JSON.stringify(holder), ttlMs);
  return ticket;
}

/** The holder, or null for a malformed, unknown, expired or already used ticket. */
export async function redeemTicket(bus: Bus, ticket: string): Promise<TicketHolder | null> {
  if (!TICKET_PATTERN.test(ticket)) return null;
  const stored = await bus.take(ticketKey(ticket));
  return stored ? (JSON.parse(stored) as TicketHolder) : null;
}
