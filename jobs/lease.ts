import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';

/**
 * The leader lease: one row in `job_leases` that its owner renews and anyone may take once it
 * has expired. Expiry is judged by the database clock, so processes on different machines
 * never argue about time; each process believes it leads only until its own send time plus the
 * lease, which is never later than the database's expiry.
 *
 * Why a lease row rather than a session advisory lock: an advisory lock lives as long as one
 * pinned connection, so a pooler (pgbouncer in transaction mode), a dropped connection or a
 * server restart silently ends leadership while the process keeps running ticks on its other
 * connections. The lease is explicit, visible (`select * from job_leases`), works the same on
 * PGlite, and its takeover time is exactly JOBS_LEASE_SECONDS. The cost: after a crash the
 * others wait out the lease. Each window's own `job_runs` row fences the writes, so even two
 * processes that both believe they lead never apply a window twice.
 */
export class LeaderLease {
  private heldUntil = 0;

  constructor(
    private readonly db: Db,
    readonly name: string,
    readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /** True while the last successful renewal is younger than the lease. */
  get held(): boolean {
    return performance.now() < this.heldUntil;
  }

  /** Take the lease if it is free or expired, or extend it if it is ours. */
  async acquireOrRenew(): Promise<boolean> {
    const sent = performance.now();
    const expires = sql<Date>`now() + make_interval(secs => ${this.leaseMs / 1000})`;
    const row = await this.db
      .insertInto('job_leases')
      .values({ name: this.name, owner: this.owner, expires_at: expires })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({
            owner: this.owner,
            renewed_at: sql<Date>`now()`,
            expires_at: expires,
            acquired_at: sql<Date>`case when job_leases.owner = ${this.owner} then job_leases.acquired_at else now() end`,
          })
          .where((eb) => eb.or([eb('job_leases.owner', '=', this.owner), eb('job_leases.expires_at', '<', sql<Date>`now()`)])),
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
