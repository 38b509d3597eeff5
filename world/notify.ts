import type { DomainEvent } from '../contract/events.js';
import { noChanges } from '../game/changes.js';
import { applyChanges } from './applier.js';
import type { World } from './action.js';

/**
 * Events about account-side things (teams, mail): written to the region's outbox through the
 * applier (an events-only change set) once the account-side change has committed, then published.
 * Realtime and the events feed deliver them like any other event. If the process dies between
 * the two commits the event is lost but the state is not: inboxes and teams are read from the
 * accounts database, and the unread count comes with every inbox read.
 */
export async function notify(world: World, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const applied = await world.region.transaction().execute((trx) => applyChanges(trx, { ...noChanges(), events }));
  await world.outbox.publish(applied.envelopes);
}
