import type { Cargo, Commodity } from '../../../client/index.js';

/**
 * What the pilot paid for what is in the holds, so a sale can show its profit. The server keeps
 * no purchase prices, so the client does: per pilot, in localStorage (it is no secret), as an
 * average cost per good that shrinks with every sale.
 */
interface Basis {
  units: number;
  cost: number;
}

type Costs = Partial<Record<Commodity, Basis>>;

export interface CargoCosts {
  recordPurchase(good: Commodity, units: number, total: number): void;
  /** Record a sale and return its profit over what those units cost, or null when their cost is unknown. */
  recordSale(good: Commodity, units: number, total: number): number | null;
  /** Forget costs of cargo that is no longer aboard (sold elsewhere, another device). */
  reconcile(cargo: Cargo): void;
  averageCost(good: Commodity): number | null;
}

export function createCargoCosts(pilotKey: string, storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null): CargoCosts {
  const key = `sectorwars:cargo-costs:${pilotKey}`;
  let costs: Costs = {};
  try {
    costs = JSON.parse(storage?.getItem(key) ?? '{}') as Costs;
  } catch {
    costs = {};
  }
  const save = () => storage?.setItem(key, JSON.stringify(costs));

  return {
    recordPurchase(good, units, total) {
      const basis = costs[good] ?? { units: 0, cost: 0 };
      costs[good] = { units: basis.units + units, cost: basis.cost + total };
      save();
    },
    recordSale(good, units, total) {
      const basis = costs[good];
      if (!basis || basis.units <= 0) return null;
      const known = Math.min(units, basis.units);
      const costOfSold = (basis.cost / basis.units) * known;
      const remaining = basis.units - known;
      costs[good] = { units: remaining, cost: basis.cost - costOfSold };
      if (remaining === 0) delete costs[good];
      save();
      // Units beyond what we know the cost of are priced at the sale's own average.
      const revenueOfKnown = (total / units) * known;
      return Math.round(revenueOfKnown - costOfSold);
    },
    reconcile(cargo) {
      let changed = false;
      for (const good of Object.keys(costs) as Commodity[]) {
        const basis = costs[good]!;
        const aboard = cargo[good];
        if (basis.units > aboard) {
          changed = true;
          if (aboard <= 0) delete costs[good];
          else costs[good] = { units: aboard, cost: (basis.cost / basis.units) * aboard };
        }
      }
      if (changed) save();
    },
    averageCost(good) {
      const basis = costs[good];
      return basis && basis.units > 0 ? basis.cost / basis.units : null;
    },
  };
}
