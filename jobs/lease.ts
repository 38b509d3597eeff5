import type { RegionDb } from '../platform/db/database.js';
import { type Clock, systemClock } from './clock.js';

/**
 * The leader lease: one row in `job_leases` that its owner renews and anyone may take once it
 * has expired. Times come from the process's clock (an injected one in tests): the holder
 * believes it leads only until its send time plus the lease, which is never later than the
 * expiry it wrote. Clocks of processes on different machines agree to milliseconds (NTP)
 * against a lease of seconds, and each window's own `job_runs` row fences the writes, so even
 * two processes that both believe they lead never apply a window twice.
 *
 * Why a lease row rather than a session advisory lock: an advisory lock lives as long as one
 * pinned connection, so a pooler (pgbouncer in transaction mode), a dropped connection or a
 * server restart silently ends leadership while the process keeps running ticks on its other
 * connections. The lease is explicit, visible (`select * from job_leases`), works the same on
 * PGlite, and its takeover time is exactly JOBS_LEASE_SECONDS. The cost: after a crash the
 * others wait out the lease.
 */
export class LeaderLease {
  private heldUntil = 0;

  constructor(
    private readonly db: RegionDb,
    readonly name: string,
    readonly owner: string,
    private readonly leaseMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** True while the last successful renewal is younger than the lease. */
  get held(): boolean {
    return this.clock.now() < this.heldUntil;
  }

  /** Take the lease if it is free or expired, or extend it if it is ours. */
  async acquireOrRenew(): Promise<boolean> {
    const sent = this.clock.now();
    const now = new Date(sent);
    const expires = new Date(sent + this.leaseMs);
    const row = await this.db
      .insertInto('job_leases')
      .values({ name: this.name, owner: this.owner, acquired_at: now, renewed_at: now, expires_at: expires })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({
            owner: this.owner,
            renewed_at: now,
            expires_at: expires,
            acquired_at: eb.case().when('job_leases.owner', '=', this.owner).then(eb.ref('job_leases.acquired_at')).else(now).end(),
          }))
          .where((eb) => eb.or([eb('job_leases.owner', '=', this.owner), eb('job_leases.expires_at', '<', now)])),
      )
      .returning('owner')
      .executeTakeFirst();
    this.heldUntil = row ? sent + this.leaseMs : 0;
    return row !== undefined;
  }

  /** Hand the lease back so another process can lead at once instead of waiting for expiry. */
  async release(): Promise<void> {
    this.heldUntil = 0;
    await this.db.deleteFrom('job_leases').where('name', '=', this.name).where('owner', '=', this.owner).execute();
  }

  /** Forget leadership locally (after a failed renewal). */
  drop(): void {
    this.heldUntil = 0;
  }
}
