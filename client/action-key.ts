/**
 * A fresh Idempotency-Key for one player action. Made from getRandomValues rather than
 * randomUUID, which browsers only offer on https or localhost pages.
 */
export function newActionKey(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
