import type { AdminCreditFlows, AdminMoneySupply, AdminPriceHistory } from '../../../client/index.js';
import type { ChartFigures } from '../components/chart-figures.js';

/** The economy API's answers as chart figures: what the Economy view draws, kept apart so it can be tested. */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export type Period = 'hour' | 'day';
/** how far back each bucket size looks: two days by the hour, a month by the day */
export const PERIOD_SPAN: Record<Period, number> = { hour: 48 * HOUR_MS, day: 30 * DAY_MS };

/** The window a period reads up to `now`, its start on a whole hour or day (UTC), so the first bucket starts inside it. */
export function periodWindow(period: Period, now: number) {
  const unit = period === 'hour' ? HOUR_MS : DAY_MS;
  const from = Math.floor((now - PERIOD_SPAN[period]) / unit) * unit;
  return { from: new Date(from).toISOString(), to: new Date(now).toISOString() };
}

export const PALETTE = { teal: '#38e1c6', amber: '#ffb547', red: '#ff6b85', green: '#5ee38b' } as const;

/**
 * The money supply as a step line: the opening supply at the window's start, the supply after
 * each bucket at the bucket's start, and where it stands at the window's end. A bucket the
 * database truncated to before the window's start (another time zone) is drawn at the start.
 */
export function supplyFigures(m: AdminMoneySupply): ChartFigures {
  const from = Date.parse(m.window.from);
  const last = m.buckets.at(-1)?.supply ?? m.opening_supply;
  return {
    x: { kind: 'time', label: 'Time', at: [from, ...m.buckets.map((b) => Math.max(from, Date.parse(b.start))), Date.parse(m.window.to)] },
    series: [{ label: 'Money supply', values: [m.opening_supply, ...m.buckets.map((b) => b.supply), last], color: PALETTE.teal, style: 'step' }],
  };
}

/** Credits created by reason (sources) and destroyed by reason (sinks), biggest first as the API sorts them. */
export function flowFigures(f: AdminCreditFlows): { sources: ChartFigures; sinks: ChartFigures } {
  return {
    sources: {
      x: { kind: 'category', label: 'Reason', names: f.sources.map((s) => s.reason) },
      series: [{ label: 'Credits in', values: f.sources.map((s) => s.credits_in), color: PALETTE.green, style: 'bars' }],
    },
    sinks: {
      x: { kind: 'category', label: 'Reason', names: f.sinks.map((s) => s.reason) },
      series: [{ label: 'Credits out', values: f.sinks.map((s) => s.credits_out), color: PALETTE.red, style: 'bars' }],
    },
  };
}

/** A good's price over time with its band: the lowest and highest port as dashed edges, the mean between. */
export function priceFigures(h: AdminPriceHistory): ChartFigures {
  return {
    x: { kind: 'time', label: 'Time', at: h.points.map((p) => Date.parse(p.at)) },
    series: [
      { label: 'Lowest', values: h.points.map((p) => p.min), color: PALETTE.green, style: 'dashed' },
      { label: 'Mean', values: h.points.map((p) => p.mean), color: PALETTE.amber },
      { label: 'Highest', values: h.points.map((p) => p.max), color: PALETTE.red, style: 'dashed' },
    ],
    band: { lower: 0, upper: 2 },
  };
}
