/**
 * Lazy accrual from an anchor timestamp, shared by turn regeneration and port stock drift:
 * a value moves toward a target in whole units at a steady rate, computed only when read.
 */
export interface Accrual {
  value: number;
  anchorMs: number;
}

export interface AccrualRate {
  target: number;
  /** units per periodMs (may be fractional) */
  unitsPerPeriod: number;
  periodMs: number;
}

/**
 * The fraction of a unit not yet earned is carried by advancing the anchor only by the time
 * the whole units cost (rounded up, so integer anchors stay integer and the carry never
 * exceeds the true one). At the target the anchor jumps to now: nothing banks while full.
 * A clock that runs backwards changes nothing.
 */
export function accrueToward(state: Accrual, nowMs: number, rate: AccrualRate): Accrual {
  const elapsed = nowMs - state.anchorMs;
  if (!(elapsed > 0)) return state;

  const distance = Math.abs(rate.target - state.value);
  if (distance === 0 || !(rate.unitsPerPeriod > 0)) return { value: state.value, anchorMs: nowMs };

  // Compare against the time to reach the target first, so long absences cannot overflow
  // the exact-integer range of elapsed × rate.
  const msToTarget = (distance * rate.periodMs) / rate.unitsPerPeriod;
  if (elapsed >= msToTarget) return { value: rate.target, anchorMs: nowMs };

  const gained = Math.floor((elapsed * rate.unitsPerPeriod) / rate.periodMs);
  if (gained === 0) return state;
  const cost = Math.min(elapsed, Math.ceil((gained * rate.periodMs) / rate.unitsPerPeriod));
  const direction = rate.target > state.value ? 1 : -1;
  return { value: state.value + direction * gained, anchorMs: state.anchorMs + cost };
}
